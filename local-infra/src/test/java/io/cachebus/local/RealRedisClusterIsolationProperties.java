package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.NameArbitraries;
import io.cachebus.events.NameArbitraries.NamePair;
import io.cachebus.events.RedisHashSlot;
import io.cachebus.events.Tag;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The key scheme on a real Redis Cluster of three primaries: every key of a tenant lies in the slot of its hash tag
 * (what the compare-and-set script needs), tenants never share a tag, and a SCAN of a tenant's prefix over every
 * primary returns exactly that tenant's keys, however they are spread. Also checks that the test port of the
 * slot mapping, which the faster properties in shared-events rely on, agrees with {@code CLUSTER KEYSLOT}.
 */
class RealRedisClusterIsolationProperties {

    private static final int SCAN_COUNT = 7;

    private static RedisCluster cluster;
    private static RedisClusterClient clusterClient;
    private static StatefulRedisClusterConnection<String, String> clusterConnection;
    private static final List<RedisClient> nodeClients = new ArrayList<>();
    private static final List<StatefulRedisConnection<String, String>> primaries = new ArrayList<>();

    @BeforeContainer
    static void startCluster() {
        cluster = RedisCluster.start(3, 0);
        clusterClient = RedisClusterClient.create(cluster.servers().stream()
                .map(server -> RedisURI.builder().withHost(server.host()).withPort(server.port())
                        .withTimeout(Duration.ofSeconds(5)).build())
                .toList());
        clusterConnection = clusterClient.connect();
        for (RedisServer primary : cluster.primaries()) {
            RedisClient client = RedisClient.create(RedisURI.builder().withHost(primary.host()).withPort(primary.port())
                    .withTimeout(Duration.ofSeconds(5)).build());
            nodeClients.add(client);
            primaries.add(client.connect());
        }
    }

    @AfterContainer
    static void stopCluster() {
        primaries.forEach(StatefulRedisConnection::close);
        nodeClients.forEach(client -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        if (clusterConnection != null) {
            clusterConnection.close();
        }
        if (clusterClient != null) {
            clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterTry
    void emptyTheCluster() {
        primaries.forEach(primary -> primary.sync().flushdb());
    }

    @Property(tries = 40)
    void aScanOfEveryPrimaryReturnsExactlyATenantsKeys(@ForAll(supplier = NameArbitraries.RelatedGroupSupplier.class) List<String> tenants,
            @ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair domains, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName,
            @ForAll("hashLists") List<String> hashes) {
        Map<String, String> written = new LinkedHashMap<>();
        for (String tenant : tenants) {
            for (String domain : List.of(domains.a(), domains.b())) {
                for (String hash : hashes) {
                    written.put(CacheKeys.key(tenant, domain, hash), tenant);
                    written.put(CacheKeys.key(tenant, new Tag(domain, tagName), hash), tenant);
                    written.put(CacheKeys.prefix(tenant, domain) + hash, tenant);
                }
            }
            written.put(CacheKeys.generationKeyOfDomain(tenant, domains.a()), tenant);
        }
        // Lettuce splits a cross-slot MSET into one per slot
        clusterConnection.sync().mset(written);
        Statistics.label("primaries holding keys").collect(primaries.stream().filter(p -> p.sync().dbsize() > 0).count());

        for (String tenant : tenants) {
            for (String prefix : List.of(CacheKeys.prefix(tenant, domains.a()),
                    CacheKeys.prefix(tenant, new Tag(domains.a(), tagName)))) {
                List<String> found = scanEveryPrimary(CacheKeys.scanPattern(prefix));
                assertThat(found).as("SCAN MATCH %s* over every primary", prefix)
                        .allSatisfy(key -> assertThat(written.get(key)).as("owner of %s", key).isEqualTo(tenant))
                        .containsExactlyInAnyOrderElementsOf(
                                written.keySet().stream().filter(key -> key.startsWith(prefix)).toList());
            }
        }
    }

    @Property(tries = 100)
    void everyKeyOfATenantIsInTheSlotOfItsTagAndNoOtherTenantHasThatTag(@ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair tenants,
            @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainA, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainB, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName,
            @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        Statistics.label("tenants").collect(tenants.relation());
        for (String tenant : List.of(tenants.a(), tenants.b())) {
            int slotOfTag = slot(CacheKeys.hashTag(tenant));
            List<String> keys = List.of(CacheKeys.key(tenant, domainA, hash),
                    CacheKeys.key(tenant, new Tag(domainA, tagName), hash), CacheKeys.key(tenant, domainB, hash),
                    CacheKeys.generationKeyOfDomain(tenant, domainA), CacheKeys.generationKeyOfDomain(tenant, domainB),
                    CacheKeys.generationKey(tenant, new Tag(domainA, tagName)));
            for (String key : keys) {
                assertThat(slot(key)).as("CLUSTER KEYSLOT %s", key).isEqualTo(slotOfTag);
                assertThat(RedisHashSlot.of(key)).as("the port agrees for %s", key).isEqualTo(slotOfTag);
            }
        }
        assertThat(RedisHashSlot.hashedPart(CacheKeys.key(tenants.a(), domainA, hash)))
                .isNotEqualTo(RedisHashSlot.hashedPart(CacheKeys.key(tenants.b(), domainA, hash)));
    }

    @Property(tries = 100)
    void theTestPortOfTheSlotMappingAgreesWithTheServer(@ForAll("bracedKeys") String key) {
        Statistics.label("has a non-empty tag").collect(!RedisHashSlot.hashedPart(key).equals(key));
        assertThat(RedisHashSlot.of(key)).as("slot of %s", key).isEqualTo(slot(key));
        Statistics.label("has a non-empty tag").coverage(coverage -> coverage.check(true).percentage(p -> p >= 25));
    }

    private static int slot(String key) {
        return clusterConnection.sync().clusterKeyslot(key).intValue();
    }

    private static List<String> scanEveryPrimary(String pattern) {
        List<String> keys = new ArrayList<>();
        for (StatefulRedisConnection<String, String> primary : primaries) {
            keys.addAll(ScannedKeys.matching(primary.sync(), pattern, SCAN_COUNT));
        }
        return keys;
    }

    @Provide
    Arbitrary<List<String>> hashLists() {
        return NameArbitraries.hashes().list().ofMinSize(1).ofMaxSize(4).uniqueElements();
    }

    /** Short strings of braces and a few other pieces, multi-byte ones included: empty, nested and unclosed tags. */
    @Provide
    Arbitrary<String> bracedKeys() {
        Arbitrary<String> piece = Arbitraries.of("{", "}", "{}", "a", "b1", ":", "\u00e9", "t1");
        Arbitrary<String> text = piece.list().ofMaxSize(3).map(pieces -> String.join("", pieces));
        Arbitrary<String> tagged = Combinators.combine(text, text, text).as((before, inside, after) ->
                before + "{" + inside + "}" + after);
        Arbitrary<String> anything = piece.list().ofMinSize(1).ofMaxSize(7).map(pieces -> String.join("", pieces));
        return Arbitraries.oneOf(tagged, anything);
    }
}
