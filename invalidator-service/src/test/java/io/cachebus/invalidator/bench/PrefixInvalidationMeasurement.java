package io.cachebus.invalidator.bench;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.DomainMutated;
import io.cachebus.events.Operation;
import io.cachebus.invalidator.coalescing.EventCoalescer;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.GenerationCounters;
import io.cachebus.invalidator.invalidation.GenerationInvalidationStrategy;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import io.cachebus.invalidator.invalidation.ScanDeleteInvalidationStrategy;
import io.cachebus.local.redis.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Measures what one invalidation of a 1,000-key prefix costs in a Redis holding 1,000,000 keys, for the
 * service's two strategies and for a tag index set (simulated here, for ADR 0003). Not a test: run it by hand,
 * it starts its own redis-server on a free port. Optional arguments: the number of measured runs of the deleting
 * strategies (default 7) and the total number of keys (default 1,000,000).
 *
 * <pre>
 * ./mvnw -q -pl invalidator-service -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp invalidator-service/target/test-classes:invalidator-service/target/classes:$(cat invalidator-service/target/test-classpath.txt) \
 *     io.cachebus.invalidator.bench.PrefixInvalidationMeasurement
 * </pre>
 */
public final class PrefixInvalidationMeasurement {

    private static final int DEFAULT_TOTAL_KEYS = 1_000_000;
    private static final int PREFIX_KEYS = 1_000;
    private static final int BACKGROUND_TENANTS = 1_000;
    private static final String TENANT = "t-bench";
    private static final String DOMAIN = "workflows";
    private static final String INDEX_KEY = "cachebus:bench:index:" + TENANT + ":" + DOMAIN;
    private static final int LOAD_BATCH = 1_000;

    private PrefixInvalidationMeasurement() {
    }

    public static void main(String[] args) {
        int generationRuns = 1_000;
        int deletingRuns = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int totalKeys = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_TOTAL_KEYS;
        try (RedisServer server = RedisServer.start();
             RedisClient client = RedisClient.create(server.uri());
             StatefulRedisConnection<String, String> loader = client.connect()) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(server.host(), server.port()));
            factory.afterPropertiesSet();
            factory.start();
            try {
                StringRedisTemplate redis = new StringRedisTemplate(factory);
                GenerationCounters counters = new GenerationCounters(redis, Duration.ofSeconds(30));
                InvalidationGroup group = group();

                long loadStarted = System.nanoTime();
                loadBackground(loader, totalKeys - PREFIX_KEYS);
                loadPrefix(loader);
                RedisCommands<String, String> sync = loader.sync();
                System.out.printf(Locale.ROOT, "redis %s, %d entries (%d under %s) + 1 index set, used_memory=%s, "
                                + "loaded in %.1f s, %d cores, load average %s%n",
                        info(sync, "server", "redis_version"), sync.dbsize() - 1, PREFIX_KEYS, group.prefix(),
                        info(sync, "memory", "used_memory_human"), (System.nanoTime() - loadStarted) / 1e9,
                        Runtime.getRuntime().availableProcessors(),
                        String.format(Locale.ROOT, "%.2f",
                                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

                Map<String, double[]> results = new LinkedHashMap<>();
                var generation = new GenerationInvalidationStrategy(counters);
                results.put("generation (INCR)", measure(generationRuns, 100, () -> timed(generation, group), () -> { }));
                for (int count : new int[] {100, 1_000}) {
                    var scan = new ScanDeleteInvalidationStrategy(counters, redis, count, 500, Duration.ofSeconds(30));
                    results.put("scan COUNT " + count + " + UNLINK 500",
                            measure(deletingRuns, 1, () -> timedScan(scan, group), () -> loadPrefix(loader)));
                }
                results.put("tag index set (SMEMBERS + UNLINK)",
                        measure(deletingRuns, 1, () -> invalidateByIndex(sync), () -> loadPrefix(loader)));

                System.out.printf(Locale.ROOT, "%-36s %6s %12s %12s %12s%n", "strategy", "runs", "p50 ms", "min ms", "max ms");
                results.forEach((name, millis) -> System.out.printf(Locale.ROOT, "%-36s %6d %12.3f %12.3f %12.3f%n",
                        name, millis.length, percentile(millis, 50), millis[0], millis[millis.length - 1]));
            } finally {
                factory.destroy();
            }
        }
    }

    /** Runs {@code warmUp} unmeasured rounds then {@code runs} measured ones, calling {@code reset} before each. */
    private static double[] measure(int runs, int warmUp, LongSupplier nanos, Runnable reset) {
        for (int i = 0; i < warmUp; i++) {
            reset.run();
            nanos.getAsLong();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            reset.run();
            millis[i] = nanos.getAsLong() / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static long timed(PrefixInvalidationStrategy strategy, InvalidationGroup group) {
        long started = System.nanoTime();
        strategy.invalidate(group);
        return System.nanoTime() - started;
    }

    private static long timedScan(ScanDeleteInvalidationStrategy scan, InvalidationGroup group) {
        long started = System.nanoTime();
        InvalidationResult result = scan.invalidate(group);
        long elapsed = System.nanoTime() - started;
        if (result.keysRemoved().orElse(-1) != PREFIX_KEYS) {
            throw new IllegalStateException("scan removed " + result.keysRemoved() + ", expected " + PREFIX_KEYS);
        }
        return elapsed;
    }

    /** The third option of the ADR: every write also SADDs its key to a per-prefix set; invalidation empties it. */
    private static long invalidateByIndex(RedisCommands<String, String> redis) {
        long started = System.nanoTime();
        List<String> members = new ArrayList<>(redis.smembers(INDEX_KEY));
        long removed = 0;
        for (int from = 0; from < members.size(); from += 500) {
            removed += redis.unlink(members.subList(from, Math.min(members.size(), from + 500)).toArray(String[]::new));
        }
        redis.unlink(INDEX_KEY);
        long elapsed = System.nanoTime() - started;
        if (removed != PREFIX_KEYS) {
            throw new IllegalStateException("index removed " + removed + ", expected " + PREFIX_KEYS);
        }
        return elapsed;
    }

    private static void loadBackground(StatefulRedisConnection<String, String> connection, int background) {
        List<String> keys = new ArrayList<>(background);
        for (int i = 0; i < background; i++) {
            keys.add(CacheKeys.key("t" + (i % BACKGROUND_TENANTS), i % 2 == 0 ? DOMAIN : "notifications", "h" + i));
        }
        pipelinedMset(connection, keys);
    }

    /** (Re)writes the 1,000 entries under the measured prefix and their index set. */
    private static void loadPrefix(StatefulRedisConnection<String, String> connection) {
        List<String> keys = new ArrayList<>(PREFIX_KEYS);
        for (int i = 0; i < PREFIX_KEYS; i++) {
            keys.add(CacheKeys.key(TENANT, DOMAIN, "h" + i));
        }
        pipelinedMset(connection, keys);
        connection.sync().sadd(INDEX_KEY, keys.toArray(String[]::new));
    }

    /** MSET in batches of {@value #LOAD_BATCH} keys, all written before any reply is awaited. */
    private static void pipelinedMset(StatefulRedisConnection<String, String> connection, List<String> keys) {
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<String>> replies = new ArrayList<>();
        connection.setAutoFlushCommands(false);
        try {
            for (int from = 0; from < keys.size(); from += LOAD_BATCH) {
                Map<String, String> batch = new LinkedHashMap<>();
                keys.subList(from, Math.min(keys.size(), from + LOAD_BATCH)).forEach(key -> batch.put(key, "{\"v\":1}"));
                replies.add(async.mset(batch));
                if (replies.size() % 100 == 0) {
                    connection.flushCommands();
                }
            }
            connection.flushCommands();
            if (!LettuceFutures.awaitAll(Duration.ofMinutes(5), replies.toArray(RedisFuture[]::new))) {
                throw new IllegalStateException("loading did not finish");
            }
        } finally {
            connection.setAutoFlushCommands(true);
        }
    }

    private static InvalidationGroup group() {
        DomainMutated event = new DomainMutated(UUID.randomUUID(), TENANT, DOMAIN, Operation.PATCH, Optional.empty(),
                List.of(), Instant.now(), "bench", 1);
        return EventCoalescer.coalesce(List.of(event)).get(0);
    }

    private static double percentile(double[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String info(RedisCommands<String, String> redis, String section, String field) {
        return redis.info(section).lines().filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim()).findFirst().orElse("?");
    }
}
