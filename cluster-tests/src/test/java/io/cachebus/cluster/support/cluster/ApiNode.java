package io.cachebus.cluster.support.cluster;

import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.outbox.OutboxRelay;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.Scope;
import io.cachebus.cluster.support.observe.Scrape;
import io.cachebus.localcluster.ServiceInstance;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.events.RecordedCacheEvents;

/** One API node of a {@link TestCluster}: HTTP clients for it and a view of its cache's state. */
public final class ApiNode {

    private final ServiceInstance instance;
    private final TestCluster cluster;

    ApiNode(ServiceInstance instance, TestCluster cluster) {
        this.instance = instance;
        this.cluster = cluster;
    }

    public String name() {
        return instance.name();
    }

    public ServiceInstance instance() {
        return instance;
    }

    public boolean isRunning() {
        return instance.isRunning();
    }

    /** A client sending {@code tenant}'s token to this node. */
    public ApiClient client(String tenant) {
        return new ApiClient(name(), instance.baseUrl(), cluster.token(tenant));
    }

    /** A client sending {@code token} as it is (or no token when {@code null}). */
    public ApiClient clientWithToken(String token) {
        return new ApiClient(name(), instance.baseUrl(), token);
    }

    /** What this node's cache reported since it started. */
    public RecordedCacheEvents cacheEvents() {
        return instance.bean(RecordedCacheEvents.class);
    }

    /**
     * This node's local generation of a scope (a tenant's domain, or a tag of it when {@code tag} is not null): it
     * moves whenever the node drops the scope's local entries, after its own write or on a broadcast.
     */
    public long localGeneration(String tenant, String domain, String tag) {
        return instance.bean(LocalInvalidation.class).generations().current(new Scope(tenant, domain, tag));
    }

    /**
     * Whether a write of this node to the tenant's domain still waits for the broadcast of its invalidation: a bulk
     * write marks the domain, a write of one entity the domain's collections (ADR 0017).
     */
    public boolean awaitsOwnInvalidation(String tenant, String domain) {
        ReadYourWrites marks = instance.bean(ReadYourWrites.class);
        return marks.isPending(Scope.ofDomain(tenant, domain)) || marks.isPending(Scope.ofCollections(tenant, domain));
    }

    /** How many writes of this node (of any tenant) still wait for the broadcast of their invalidation. */
    public int ownWritesAwaitingBroadcast() {
        return instance.bean(ReadYourWrites.class).pending();
    }

    /**
     * The node's {@code cachebus.outbox.pending} gauge, unsent outbox rows of all nodes at its last count, read over
     * HTTP as Prometheus reads it (so it works wherever the node runs).
     */
    public double outboxPendingGauge() {
        return Scrape.of(instance).sum(Scrape.prometheusName(OutboxRelay.PENDING));
    }

    /** Reads this node sent to the database because it could not show it was within the staleness bound. */
    public double boundReadThroughs() {
        return Scrape.of(instance).sum(Scrape.prometheusName(CachebusMeter.CONSISTENCY_READ_THROUGH.meterName())
                + "_total");
    }

    public <T> T bean(Class<T> type) {
        return instance.bean(type);
    }

    @Override
    public String toString() {
        return name();
    }
}
