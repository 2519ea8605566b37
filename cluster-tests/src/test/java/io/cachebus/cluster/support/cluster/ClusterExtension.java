package io.cachebus.cluster.support.cluster;

import io.cachebus.local.redis.RedisServer;
import io.cachebus.localcluster.LocalCluster;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the cluster a test class asks for ({@link OnCluster}) on first use and keeps it for the following classes
 * of the same kind. Asking for the other kind closes the running cluster first (one at a time: two clusters are
 * ten Spring contexts on two cores). The last one is closed when the test run ends.
 */
public final class ClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    private static TestCluster running;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public TestCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClusterKind kind = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), OnCluster.class)
                .orElseThrow(() -> new IllegalStateException(context.getRequiredTestClass() + " has no @OnCluster"))
                .value();
        return cluster(kind, context);
    }

    private static synchronized TestCluster cluster(ClusterKind kind, ExtensionContext context) {
        if (running != null && running.kind() != kind) {
            running.close();
            running = null;
        }
        if (running == null) {
            if (!RedisServer.isAvailable()) {
                // LocalCluster would fall back to in-memory L2 on every node: the suite would prove nothing about Redis
                throw new IllegalStateException("the cluster tests need redis-server: install it (apt-get install"
                        + " redis-server, or ./cachebus test does it) or point CACHEBUS_REDIS_SERVER at one");
            }
            running = new TestCluster(kind, LocalCluster.start(kind.options()));
            // closed when the whole run ends, whichever cluster is running then
            context.getRoot().getStore(NAMESPACE).put("running", (AutoCloseable) () -> {
                synchronized (ClusterExtension.class) {
                    if (running != null) {
                        running.close();
                        running = null;
                    }
                }
            });
        }
        return running;
    }
}
