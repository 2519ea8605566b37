package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.NameArbitraries;
import io.cachebus.events.NameArbitraries.NamePair;
import io.cachebus.events.RedisGlob;
import io.cachebus.events.Tag;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariant 6 against a real redis-server: {@code SCAN MATCH} over a tenant's prefix returns exactly that
 * tenant's keys (ours with the tenant's hash tag and plain ones without), even when the other tenants' names
 * start with it ({@code t1}, {@code t10}, {@code t1_x}). {@link RealRedisClusterIsolationProperties} does the same
 * across the primaries of a cluster.
 * Also checks that the test port of Redis's matcher, which the faster properties in shared-events rely on,
 * agrees with the server.
 *
 * <p>jqwik properties do not run JUnit Jupiter extensions, so the class starts its own server (on a free
 * port, never the machine's 6379) and empties it after every try.
 */
class RealRedisScanIsolationProperties {

    /** Small on purpose, so that one SCAN takes several round trips with cursors. */
    private static final int SCAN_COUNT = 7;

    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeContainer
    static void startRedis() {
        server = RedisServer.start();
        client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(5)).build());
        connection = client.connect();
    }

    @AfterContainer
    static void stopRedis() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterTry
    void emptyTheServer() {
        redis().flushdb();
    }

    @Property(tries = 100)
    void scanMatchOverATenantsPrefixReturnsExactlyItsKeys(@ForAll(supplier = NameArbitraries.RelatedGroupSupplier.class) List<String> tenants,
            @ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair domains, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName,
            @ForAll("hashLists") List<String> hashes) {
        Statistics.label("tenants").collect(tenants.size());
        Statistics.label("a tenant is a prefix of another").collect(hasPrefixRelation(tenants));
        Map<String, String> written = new LinkedHashMap<>();
        for (String tenant : tenants) {
            for (String domain : List.of(domains.a(), domains.b())) {
                for (String hash : hashes) {
                    written.put(CacheKeys.key(tenant, domain, hash), tenant);
                    written.put(CacheKeys.key(tenant, new Tag(domain, tagName), hash), tenant);
                    // a plain key without a hash tag, as other writers put it: SCAN must cover it too
                    written.put(CacheKeys.prefix(tenant, domain) + hash, tenant);
                }
            }
            written.put(CacheKeys.generationKeyOfDomain(tenant, domains.a()), tenant);
        }
        redis().mset(written);

        for (String tenant : tenants) {
            assertScanReturnsExactlyTheKeysOf(tenant, CacheKeys.prefix(tenant, domains.a()), written);
            assertScanReturnsExactlyTheKeysOf(tenant, CacheKeys.prefix(tenant, new Tag(domains.a(), tagName)), written);
        }
        Statistics.label("a tenant is a prefix of another").coverage(coverage -> coverage.check(true).percentage(p -> p >= 30));
    }

    @Property(tries = 60)
    void theTestPortOfRedisGlobAgreesWithTheServer(@ForAll("globKeys") Set<String> keys,
            @ForAll("globPatterns") List<String> patterns) {
        keys.forEach(key -> redis().set(key, "1"));

        for (String pattern : patterns) {
            Set<String> expected = keys.stream().filter(key -> RedisGlob.matches(pattern, key)).collect(Collectors.toSet());
            Statistics.label("pattern matched some keys").collect(!expected.isEmpty());
            assertThat(new HashSet<>(redis().keys(pattern))).as("KEYS %s", pattern).isEqualTo(expected);
        }
        Statistics.label("pattern matched some keys").coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
    }

    /** {@code written} maps every key written to the tenant it was written for. */
    private static void assertScanReturnsExactlyTheKeysOf(String tenant, String prefix, Map<String, String> written) {
        String pattern = CacheKeys.scanPattern(prefix);
        List<String> found = scan(pattern);

        assertThat(found).as("SCAN MATCH %s", pattern)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(written.get(key)).as("owner of %s", key).isEqualTo(tenant))
                .containsExactlyInAnyOrderElementsOf(written.keySet().stream().filter(key -> key.startsWith(prefix)).toList());
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    private static List<String> scan(String pattern) {
        return ScannedKeys.matching(redis(), pattern, SCAN_COUNT);
    }

    private static boolean hasPrefixRelation(List<String> tenants) {
        return tenants.stream().anyMatch(a -> tenants.stream().anyMatch(b -> !a.equals(b) && b.startsWith(a)));
    }

    @Provide
    Arbitrary<List<String>> hashLists() {
        return NameArbitraries.hashes().list().ofMinSize(1).ofMaxSize(5).uniqueElements();
    }

    /** Short keys over the characters the matcher treats specially, plus multi-byte ones. */
    @Provide
    Arbitrary<Set<String>> globKeys() {
        return Arbitraries.strings().withChars("ab-^:*?[]\\\u00e9\u0435").ofMinLength(1).ofMaxLength(5)
                .set().ofMinSize(1).ofMaxSize(25);
    }

    /** Patterns built from literals, wildcards, classes with ranges and negation, and escapes. */
    @Provide
    Arbitrary<List<String>> globPatterns() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("*", "?")),
                Tuple.of(4, Arbitraries.of("a", "b", "-", ":", "^", "\u00e9")),
                Tuple.of(3, Arbitraries.of("[ab]", "[^a]", "[a-b]", "[b-a]", "[\\]]", "[a", "\\*", "\\?", "\\[", "\\", "]")));
        return piece.list().ofMinSize(1).ofMaxSize(5).map(pieces -> String.join("", pieces)).list().ofSize(6);
    }
}
