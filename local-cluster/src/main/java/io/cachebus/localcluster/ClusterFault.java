package io.cachebus.localcluster;

import io.cachebus.local.TcpProxy;
import io.cachebus.local.redis.RedisServer;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.springframework.context.Lifecycle;

/**
 * The faults the local cluster can suffer, each with how it is inflicted and how it heals: the one catalogue the
 * benchmark's chaos profile and the cluster tests' outage drills both draw from. {@link #on(LocalCluster)} (or
 * {@link #on(LocalCluster, ServiceInstance)} for a fault that strikes one service) gives the fault ready to inflict.
 */
public enum ClusterFault {

    /** The broker stops listening (same process, port and data): producers and consumers see connection failures. */
    KAFKA_STOPPED((cluster, victim) -> cluster.kafka().stop(), (cluster, victim) -> cluster.kafka().resume()),

    /** redis-server is killed (SIGKILL) and comes back empty on the same port. */
    REDIS_KILLED((cluster, victim) -> redis(cluster).kill(), (cluster, victim) -> redis(cluster).restart()),

    /**
     * redis-server is frozen (SIGSTOP): the kernel still accepts connections and nothing answers, a slow Redis
     * rather than a dead one; SIGCONT heals it with its data.
     */
    REDIS_SIGSTOPPED((cluster, victim) -> redis(cluster).pause(), (cluster, victim) -> redis(cluster).unpause()),

    /**
     * One service (an API node or an invalidator) dies: SIGKILL (kill -9) when it runs in a process of its own, so
     * nothing in flight finishes and no offset is committed; a service in the starting JVM can only be stopped, which
     * is cleaner than a crash. It heals by starting again on the same port.
     */
    SERVICE_KILLED((cluster, victim) -> {
        if (victim.runsInThisJvm()) {
            victim.stop();
        } else {
            victim.kill();
        }
    }, (cluster, victim) -> victim.start()),

    /**
     * The API nodes behind the broker's proxy ({@link ClusterOptions#kafkaThroughProxy()}) lose Kafka (their
     * producer, eviction consumer and freshness probe) while every other client keeps it.
     */
    NODES_CUT_FROM_KAFKA((cluster, victim) -> proxy(cluster).close(), (cluster, victim) -> proxy(cluster).reopen()),

    /**
     * One API node's eviction listener stops consuming (the node otherwise works on): it needs the node in the
     * starting JVM, whose beans can be reached.
     */
    EVICTION_SUBSCRIPTION_CUT((cluster, victim) -> evictionListener(victim).stop(),
            (cluster, victim) -> evictionListener(victim).start());

    /** The bean of an API node's eviction listener container. */
    private static final String EVICTION_LISTENER = "cachebusEvictionListenerContainer";

    private final BiConsumer<LocalCluster, ServiceInstance> infliction;
    private final BiConsumer<LocalCluster, ServiceInstance> healing;

    ClusterFault(BiConsumer<LocalCluster, ServiceInstance> infliction,
            BiConsumer<LocalCluster, ServiceInstance> healing) {
        this.infliction = infliction;
        this.healing = healing;
    }

    /** Whether {@code cluster} (with {@code victim}, for a fault that strikes one service) can suffer this fault. */
    public boolean applies(LocalCluster cluster, ServiceInstance victim) {
        return switch (this) {
            case KAFKA_STOPPED -> true;
            case REDIS_KILLED, REDIS_SIGSTOPPED -> cluster.redis().isPresent();
            case SERVICE_KILLED -> victim != null;
            case NODES_CUT_FROM_KAFKA -> cluster.kafka().proxy().isPresent()
                    && !cluster.apiNodesBehindKafkaProxy().isEmpty();
            case EVICTION_SUBSCRIPTION_CUT -> victim != null && victim.runsInThisJvm();
        };
    }

    /** This fault on {@code cluster}, for one that strikes the cluster's infrastructure. */
    public Fault on(LocalCluster cluster) {
        return on(cluster, null);
    }

    /** This fault striking {@code victim} (an API node or an invalidator of {@code cluster}). */
    public Fault on(LocalCluster cluster, ServiceInstance victim) {
        return new Fault(this, cluster, victim);
    }

    private static RedisServer redis(LocalCluster cluster) {
        return cluster.redis().orElseThrow(() -> new IllegalStateException("the cluster runs no redis-server"));
    }

    private static TcpProxy proxy(LocalCluster cluster) {
        return cluster.kafka().proxy().orElseThrow(() -> new IllegalStateException(
                "the cluster's broker has no proxied listener: name the nodes in ClusterOptions.withKafkaThroughProxy"));
    }

    private static Lifecycle evictionListener(ServiceInstance node) {
        return node.context().getBean(EVICTION_LISTENER, Lifecycle.class);
    }

    /**
     * One fault of the catalogue aimed at a cluster (and a service, for one that strikes a service), ready to
     * inflict and heal.
     */
    public record Fault(ClusterFault kind, LocalCluster cluster, ServiceInstance victim) {

        public Fault {
            if (!kind.applies(cluster, victim)) {
                throw new IllegalArgumentException(kind + " cannot strike " + (victim == null ? "this cluster"
                        : victim));
            }
        }

        public void inflict() {
            kind.infliction.accept(cluster, victim);
        }

        public void heal() {
            kind.healing.accept(cluster, victim);
        }

        @Override
        public String toString() {
            String name = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            return victim == null ? name : victim.name() + ": " + name;
        }
    }
}
