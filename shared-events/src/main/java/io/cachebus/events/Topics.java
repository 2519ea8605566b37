package io.cachebus.events;

/**
 * Default topic names. Deployments can override them through configuration; these are the names the
 * services, the local cluster and the tests agree on when nothing is configured.
 */
public final class Topics {

    /** API nodes publish {@link DomainMutated} here; keyed by {@link CacheKeys#recordKey}. */
    public static final String DOMAIN_MUTATED = "cachebus.domain-mutated";

    /** Poison {@link DomainMutated} records, with the reason in headers. */
    public static final String DOMAIN_MUTATED_DLT = "cachebus.domain-mutated.DLT";

    /** The invalidator's {@link EvictionBroadcast}s; every API node reads all of it with its own subscription. */
    public static final String EVICTIONS = "cachebus.evictions";

    private Topics() {
    }
}
