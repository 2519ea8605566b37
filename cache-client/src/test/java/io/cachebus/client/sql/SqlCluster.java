package io.cachebus.client.sql;

import static org.awaitility.Awaitility.await;

import io.cachebus.client.testsupport.Invalidator;
import io.cachebus.client.testsupport.Node;
import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.cachebus.local.kafka.BusTopics;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Two API nodes sharing a database and a redis-server, and the real invalidator between them, on topics of the
 * test class's own: a write through node A's {@link SqlCache} reaches node B's cache the way it would in production.
 */
final class SqlCluster implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE residents (tenant_id VARCHAR(64) NOT NULL, id INT NOT NULL, name VARCHAR(100) NOT NULL,
                                    status VARCHAR(16) NOT NULL, PRIMARY KEY (tenant_id, id));
            CREATE TABLE users (tenant_id VARCHAR(64) NOT NULL, id INT NOT NULL, name VARCHAR(100) NOT NULL,
                                PRIMARY KEY (tenant_id, id));
            CREATE TABLE orders (tenant_id VARCHAR(64) NOT NULL, id INT NOT NULL, user_id INT NOT NULL,
                                 amount INT NOT NULL, status VARCHAR(16) NOT NULL, PRIMARY KEY (tenant_id, id));
            CREATE TABLE products (tenant_id VARCHAR(64) NOT NULL, id INT NOT NULL, name VARCHAR(100) NOT NULL,
                                   PRIMARY KEY (tenant_id, id));
            """;

    final RedisServer redis;
    final Invalidator invalidator;
    final Node writer;
    final Node reader;

    private SqlCluster(RedisServer redis, Invalidator invalidator, Node writer, Node reader) {
        this.redis = redis;
        this.invalidator = invalidator;
        this.writer = writer;
        this.reader = reader;
    }

    /** @param database sets a node's database (both nodes get the same) */
    static SqlCluster start(String name, KafkaBroker kafka, RedisServer redis, UnaryOperator<Node.Builder> database) {
        BusTopics topics = BusTopics.create(kafka, name);
        Invalidator invalidator = Invalidator.start(kafka.bootstrapServers(), redis, topics);
        Node writer = database.apply(Node.named(name + "-a")).redis(redis).kafka(kafka.bootstrapServers())
                .topics(topics).evictions().start();
        Node reader = database.apply(Node.named(name + "-b")).redis(redis).kafka(kafka.bootstrapServers())
                .topics(topics).evictions().start();
        for (Node node : List.of(writer, reader)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.evictionListener().assignments() >= 1);
        }
        for (String statement : SCHEMA.split(";")) {
            if (!statement.isBlank()) {
                writer.jdbc().execute(statement);
            }
        }
        return new SqlCluster(redis, invalidator, writer, reader);
    }

    /**
     * The Redis generation of a tenant's scope, read as a node reads it (through the ledger script, which seeds a
     * missing counter), so that the next invalidation moves it by exactly one.
     */
    long generation(String tenant, String scope) {
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> generations = connection.sync().eval(GenerationLedger.READ, ScriptOutputType.MULTI,
                    new String[] {CacheKeys.ledgerKey(tenant), CacheKeys.generationKeyOfDomain(tenant, scope)},
                    String.valueOf(Duration.ofHours(24).toMillis()));
            return Long.parseLong(generations.get(0));
        }
    }

    @Override
    public void close() {
        reader.close();
        writer.close();
        invalidator.close();
    }
}
