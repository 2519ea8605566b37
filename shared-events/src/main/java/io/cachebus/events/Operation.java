package io.cachebus.events;

/**
 * The kind of write that produced a {@link DomainMutated}. A write of one entity (with its {@code entityId})
 * invalidates that entity and its domain's collections; any other write invalidates the whole domain (ADR 0017).
 */
public enum Operation {
    CREATE,
    UPDATE,
    PATCH,
    DELETE,
    BULK_PATCH;

    /** Whether a write of this kind changes at most the one entity its event names. */
    public boolean touchesOneEntity() {
        return this != BULK_PATCH;
    }
}
