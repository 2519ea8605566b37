package io.cachebus.local.junit;

import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a fresh {@code redis-server} of the test class's own on a free port before all its tests and kills
 * it after, so a test may kill, pause or restart it freely. Fails loudly when no redis-server is installed:
 * the project's CI script installs one.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisServerExtension.class);

    /** The port of the class's server, also published as this system property for Spring property sources. */
    public static final String PORT_PROPERTY = "cachebus.test.redis.port";

    @Override
    public void beforeAll(ExtensionContext context) {
        RedisServer server = RedisServer.start();
        context.getStore(NAMESPACE).put(RedisServer.class, server);
        System.setProperty(PORT_PROPERTY, String.valueOf(server.port()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    public static RedisServer server(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow() : context;
        return classContext.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
    }
}
