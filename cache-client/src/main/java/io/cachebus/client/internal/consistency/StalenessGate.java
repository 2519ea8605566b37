package io.cachebus.client.internal.consistency;

import io.cachebus.client.internal.tiered.Scope;
import java.util.List;

/**
 * Decides, per read, whether this node may answer from its caches (L1, L2) or must read through to the database
 * because it cannot show that every invalidation older than the staleness bound has reached it.
 */
@FunctionalInterface
public interface StalenessGate {

    /** A gate for a node that enforces no bound (no eviction subscription to learn progress from). */
    StalenessGate UNENFORCED = scopes -> true;

    /** Whether cached entries of {@code scopes} are known to be at most the bound behind the database. */
    boolean allowsCachedRead(List<Scope> scopes);
}
