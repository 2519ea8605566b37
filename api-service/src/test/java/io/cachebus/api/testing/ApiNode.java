package io.cachebus.api.testing;

import io.cachebus.api.ApiServiceApplication;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.events.RecordedCacheEvents;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An API node a test starts and stops itself: for a second node beside the test's own (sharing its database and
 * Redis), for a node on a Kafka broker the test takes down, or on a database the test creates and drops.
 */
public final class ApiNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ApiNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts a node on a random port with the test secret and a recording cache listener; {@code properties}
     * (Kafka, Redis, datasource, cachebus.*) come on top.
     */
    public static ApiNode start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", "0");
        all.putAll(TestTokens.PROPERTIES);
        // no invalidator runs beside these nodes: nothing would show them current (see ApiIntegrationTest)
        all.put("cachebus.consistency.enforce", "false");
        all.putAll(properties);
        // as command-line arguments: they override application.yml, as a deployment's settings would
        String[] arguments = all.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        SpringApplication application = new SpringApplicationBuilder(ApiServiceApplication.class,
                ApiIntegrationTest.Recording.class).build();
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run(arguments);
        NodeReadiness.awaitEvictionSubscription(context);
        return new ApiNode(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public ApiClient client(String tenant) {
        return new ApiClient(port(), TestTokens.forTenant(tenant));
    }

    public RecordedCacheEvents cacheEvents() {
        return context.getBean(RecordedCacheEvents.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
