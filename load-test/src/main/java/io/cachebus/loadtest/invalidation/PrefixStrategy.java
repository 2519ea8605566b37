package io.cachebus.loadtest.invalidation;

/**
 * One way of invalidating everything under a tenant's domain prefix in Redis, as the invalidator does it.
 * Implementations adapt the invalidator's own strategy classes, bound to the benchmark's redis-server.
 */
public interface PrefixStrategy {

    /** The strategy's configured name ({@code scan}, {@code generation}, ...). */
    String name();

    /**
     * Invalidates the domain's prefix.
     *
     * @param entriesUnderPrefix how many entries the fixture put under the prefix, for strategies that make entries
     *                           unreachable rather than delete them and so cannot count them
     * @return entries removed or made unreachable
     */
    long invalidate(String tenant, String domain, long entriesUnderPrefix);
}
