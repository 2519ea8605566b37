package io.cachebus.local.junit;

import io.cachebus.local.redis.RedisCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a Redis Cluster of the test class's own before all its tests and stops it after: three primaries without
 * replicas, enough for everything but failovers (a test that fails a primary over starts its own
 * {@link RedisCluster} with replicas, so the class's cluster stays whole). Fails loudly when no redis-server is
 * installed, as {@link RedisServerExtension} does.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterExtension.class);

    public static final int PRIMARIES = 3;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(RedisCluster.class, RedisCluster.start(PRIMARIES, 0));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisCluster cluster = context.getStore(NAMESPACE).remove(RedisCluster.class, RedisCluster.class);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow() : context;
        return classContext.getStore(NAMESPACE).get(RedisCluster.class, RedisCluster.class);
    }
}
