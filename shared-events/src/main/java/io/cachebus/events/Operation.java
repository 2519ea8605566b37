package io.cachebus.events;

/** The kind of write that produced a {@link DomainMutated}. Every one of them invalidates its domain. */
public enum Operation {
    CREATE,
    UPDATE,
    PATCH,
    DELETE,
    BULK_PATCH
}
