package io.cachebus.client.internal.sql.datasource;

import java.util.Optional;

/**
 * Whose cache entries a JDBC write seen by the table-tagging DataSource invalidates: asked on the writing thread,
 * before the statement runs. A write for which it has no tenant is refused ({@link WriteTenantUnknownException}):
 * run without its invalidation, it would leave every node's entries of the table stale.
 *
 * <p>Built from {@code cachebus.sql.datasource-tags.tenant} or the application's public
 * {@link io.cachebus.client.TenantResolver}: applications provide that one, not this.
 */
@FunctionalInterface
public interface WriteTenantResolver {

    /** The tenant of the write the calling thread is about to run, if it has one. */
    Optional<String> currentTenant();
}
