package io.cachebus.invalidator.invalidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.cachebus.events.Tag;
import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.coalescing.InvalidationGroup.CoalescedEvent;
import io.cachebus.local.redis.RedisServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link GenerationLedger#BUMP} checks a tenant's ledger for the Redis run once per call and refreshes its TTL once;
 * before, it did both for every group, so twice for most tenants of a poll batch (one group per domain). That script is
 * rebuilt from today's by putting its lines back (as commit 84e04b7 had them). From any state of any
 * tenants' ledgers and counters, and for any batch of groups (tenants repeated, an entity or a tag in several groups,
 * whole-domain and single-entity groups mixed), both must answer the same generations and leave the same keys behind:
 * values, ledger fields and TTLs. Both scripts read one fixed clock here, so a re-seed takes the same value in both.
 */
class BatchedBumpProperties {

    /** The lines that check a ledger only for the first group naming it; put back, every group checks it. */
    private static final String ONCE_PER_LEDGER = """
              local since = sinces[ledger]
              if since == nil then
            """;
    private static final String EVERY_GROUP = """
              local since
              do
            """;
    /** The lines that refresh each ledger's TTL once, at the end; put back, every group refreshes its own. */
    private static final String TTL_ONCE = """
              ledgerIndex = ledgerIndex + counters + 1
            end
            for _, ledger in ipairs(ledgers) do
              redis.call('PEXPIRE', ledger, ARGV[1])
            end
            """;
    private static final String TTL_EVERY_GROUP = """
              redis.call('PEXPIRE', ledger, ARGV[1])
              ledgerIndex = ledgerIndex + counters + 1
            end
            """;
    private static final String CLOCK_CALL = "redis.call('TIME')";
    private static final long CLOCK_SECONDS = 1_800_000_000L;
    private static final long CLOCK_MICROS = CLOCK_SECONDS * 1_000_000L + 250_000L;
    private static final String FIXED_CLOCK = "{'" + CLOCK_SECONDS + "', '250000'}";
    private static final long TTL_MS = 86_400_000L;
    /** Far above the clock: a counter there is continued, never re-seeded below it. */
    private static final long ABOVE_CLOCK = 4_000_000_000_000_000L;
    private static final List<String> DOMAINS = List.of("workflows", "notifications");
    private static final List<String> ENTITIES = List.of("e1", "e2", "e3");
    private static final List<Tag> TAGS = List.of(new Tag("labels", "red"), new Tag("labels", "blue"));

    private static final AtomicInteger WORLDS = new AtomicInteger();
    private static RedisServer server;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static String runId;

    @SuppressWarnings("rawtypes")
    private static RedisScript<List> everyGroupInTurn;
    @SuppressWarnings("rawtypes")
    private static RedisScript<List> batched;

    @BeforeContainer
    static void start() {
        for (String line : List.of(ONCE_PER_LEDGER, TTL_ONCE, CLOCK_CALL)) {
            assertThat(GenerationLedger.BUMP).as("the lines the earlier script is rebuilt around").contains(line);
        }
        everyGroupInTurn = RedisScript.of(GenerationLedger.BUMP.replace(ONCE_PER_LEDGER, EVERY_GROUP)
                .replace(TTL_ONCE, TTL_EVERY_GROUP).replace(CLOCK_CALL, FIXED_CLOCK), List.class);
        batched = RedisScript.of(GenerationLedger.BUMP.replace(CLOCK_CALL, FIXED_CLOCK), List.class);
        server = RedisServer.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        runId = redis.execute((RedisCallback<String>) connection ->
                connection.serverCommands().info("server").getProperty("run_id"));
    }

    @AfterContainer
    static void stop() {
        if (connections != null) {
            connections.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Property(tries = 400)
    void aBatchBumpedInOneGoLeavesWhatEveryGroupInTurnLeft(@ForAll("worlds") World world) {
        Outcome inTurn = bump(everyGroupInTurn, world);
        Outcome inOneGo = bump(batched, world);

        assertThat(inOneGo.error()).as("refused alike").isEqualTo(inTurn.error());
        assertThat(inOneGo.generations()).as("the generations answered").isEqualTo(inTurn.generations());
        assertThat(inOneGo.keys().keySet()).as("the keys left").isEqualTo(inTurn.keys().keySet());
        inTurn.keys().forEach((key, before) -> {
            Stored after = inOneGo.keys().get(key);
            assertThat(after.value()).as("what %s holds", key).isEqualTo(before.value());
            assertThat(after.ttlMs() < 0).as("whether %s expires", key).isEqualTo(before.ttlMs() < 0);
            if (before.ttlMs() >= 0) {
                assertThat(after.ttlMs()).as("the TTL of %s", key).isBetween(before.ttlMs() - 2_000, before.ttlMs() + 2_000);
            }
        });
    }

    /**
     * A tenant named by many groups of one call: its ledger's run and start are read once, and its TTL set once, where
     * every group read and set them; each group's collections counter still takes its own read of the ledger.
     */
    @Example
    void aTenantOfManyGroupsHasItsLedgerCheckedOnce() {
        List<GroupSpec> groups = new ArrayList<>();
        for (int group = 0; group < 10; group++) {
            groups.add(new GroupSpec(0, DOMAINS.get(group % DOMAINS.size()), List.of("e" + group), List.of()));
        }
        World world = new World(WORLDS.incrementAndGet(),
                List.of(new TenantState(LedgerState.THIS_RUN, CLOCK_MICROS - 5_000_000, Map.of())), groups, Map.of());
        aBatchBumpedInOneGoLeavesWhatEveryGroupInTurnLeft(world);

        Map<String, Long> before = commandCalls();
        bump(batched, world);
        Map<String, Long> after = commandCalls();

        assertThat(after.get("hget") - before.get("hget")).as("HGETs: the run and since once, a counter per group")
                .isEqualTo(2 + groups.size());
        assertThat(after.get("pexpire") - before.get("pexpire"))
                .as("PEXPIREs: a collections counter's in every group after its first (which re-seeds it), the ledger's once")
                .isEqualTo(groups.size() - DOMAINS.size() + 1);
    }

    @Provide
    Arbitrary<World> worlds() {
        return Arbitraries.longs().map(World::random);
    }

    /** Where a tenant's ledger starts. */
    enum LedgerState { MISSING, THIS_RUN, THIS_RUN_WITHOUT_SINCE, OTHER_RUN }

    /** A tenant's ledger before the call, and the fields it holds for counters (by counter key). */
    record TenantState(LedgerState ledger, long since, Map<String, String> vouched) {
    }

    /** One group of the call: a tenant (by index), a domain, entity ids (none: the whole domain) and tags. */
    record GroupSpec(int tenant, String domain, List<String> entityIds, List<Tag> tags) {
    }

    /** What a counter holds before the call: a string, a hash (another type), or nothing; and its TTL. */
    record CounterState(String text, boolean hash, long ttlMs) {
    }

    /**
     * Tenants, the groups of one call, and the state of every counter the groups name. The tenants' names are the
     * world's own ({@code id}), so each try starts on keys no other try touched.
     */
    record World(int id, List<TenantState> tenants, List<GroupSpec> groups, Map<String, CounterState> counters) {

        static World random(long seed) {
            Random random = new Random(seed);
            int id = WORLDS.incrementAndGet();
            List<TenantState> tenants = new ArrayList<>();
            int tenantCount = 1 + random.nextInt(3);
            List<GroupSpec> groups = new ArrayList<>();
            for (int i = 0, count = 1 + random.nextInt(6); i < count; i++) {
                List<String> entityIds = random.nextBoolean() ? List.of() : pick(random, ENTITIES);
                groups.add(new GroupSpec(random.nextInt(tenantCount), DOMAINS.get(random.nextInt(DOMAINS.size())),
                        entityIds, random.nextInt(3) == 0 ? pick(random, TAGS) : List.of()));
            }
            World shape = new World(id, List.of(), groups, Map.of());
            Map<String, CounterState> counters = new TreeMap<>();
            for (int tenant = 0; tenant < tenantCount; tenant++) {
                long since = pickOne(random, List.of(CLOCK_MICROS - 10_000_000, CLOCK_MICROS, 5L, ABOVE_CLOCK));
                Map<String, String> vouched = new TreeMap<>();
                for (String key : shape.countersOf(tenant)) {
                    boolean entity = key.contains(CacheKeys.ENTITY_MARK);
                    long ledgerValue = pickOne(random, List.of(3L, CLOCK_MICROS - 1_000, CLOCK_MICROS + 7,
                            ABOVE_CLOCK));
                    if (!entity && random.nextInt(3) > 0) {
                        vouched.put(key, String.valueOf(ledgerValue));
                    }
                    long near = entity ? since : ledgerValue;
                    counters.put(key, randomCounter(random, near));
                }
                tenants.add(new TenantState(LedgerState.values()[random.nextInt(LedgerState.values().length)], since,
                        vouched));
            }
            return new World(id, tenants, groups, counters);
        }

        String tenant(int index) {
            return "bb" + id + "t" + index;
        }

        /** Every counter key the groups of {@code tenant} name, each once. */
        Set<String> countersOf(int tenant) {
            Set<String> keys = new TreeSet<>();
            for (InvalidationGroup group : invalidationGroups()) {
                if (group.tenant().equals(tenant(tenant))) {
                    keys.addAll(GenerationCounters.counterKeys(group));
                }
            }
            return keys;
        }

        List<InvalidationGroup> invalidationGroups() {
            CoalescedEvent event = new CoalescedEvent(UUID.randomUUID(), 0, "node", Instant.EPOCH);
            return groups.stream().map(group -> new InvalidationGroup(tenant(group.tenant()), group.domain(),
                    group.tags(), List.of(event), group.entityIds())).toList();
        }

        /** The call as {@link GenerationCounters} makes it: per group its ledger and counters; the TTL and counts. */
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (InvalidationGroup group : invalidationGroups()) {
                keys.add(CacheKeys.ledgerKey(group.tenant()));
                keys.addAll(GenerationCounters.counterKeys(group));
            }
            return keys;
        }

        String[] arguments() {
            List<String> arguments = new ArrayList<>();
            arguments.add(String.valueOf(TTL_MS));
            invalidationGroups().forEach(group -> arguments.add(String.valueOf(GenerationCounters.counterKeys(group)
                    .size())));
            return arguments.toArray(String[]::new);
        }

        private static CounterState randomCounter(Random random, long near) {
            long ttl = random.nextBoolean() ? -1 : 1_000 + random.nextInt(100_000_000);
            return switch (random.nextInt(8)) {
                case 0 -> new CounterState(null, false, -1);
                case 1 -> new CounterState("not-a-number", false, ttl);
                case 2 -> new CounterState(null, true, ttl);
                case 3 -> new CounterState(String.valueOf(random.nextInt(3)), false, ttl);
                default -> new CounterState(String.valueOf(near + random.nextInt(5) - 2), false, ttl);
            };
        }

        private static <T> List<T> pick(Random random, List<T> from) {
            List<T> picked = new ArrayList<>();
            from.forEach(item -> {
                if (random.nextBoolean()) {
                    picked.add(item);
                }
            });
            return picked.isEmpty() ? List.of(from.get(random.nextInt(from.size()))) : picked;
        }

        private static <T> T pickOne(Random random, List<T> from) {
            return from.get(random.nextInt(from.size()));
        }
    }

    /** A key after the call: its value (a string, or a hash's fields in order) and TTL in ms (-1: none). */
    record Stored(Object value, long ttlMs) {
    }

    record Outcome(List<Long> generations, String error, Map<String, Stored> keys) {
    }

    /** Sets the world up afresh, runs the call with {@code script}, and reads back every key of its tenants. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Outcome bump(RedisScript<List> script, World world) {
        setUp(world);
        List<Long> generations = null;
        String error = null;
        try {
            List<Object> answer = redis.execute(script, world.keys(), (Object[]) world.arguments());
            generations = answer.stream().map(value -> ((Number) value).longValue()).toList();
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName();
        }
        return new Outcome(generations, error, keysOf(world));
    }

    private static void setUp(World world) {
        for (int tenant = 0; tenant < world.tenants().size(); tenant++) {
            keysOf(world.tenant(tenant)).forEach(redis::delete);
        }
        for (int index = 0; index < world.tenants().size(); index++) {
            TenantState tenant = world.tenants().get(index);
            String ledger = CacheKeys.ledgerKey(world.tenant(index));
            if (tenant.ledger() != LedgerState.MISSING) {
                redis.opsForHash().put(ledger, "run", tenant.ledger() == LedgerState.OTHER_RUN
                        ? "0123456789abcdef0123456789abcdef01234567" : runId);
                if (tenant.ledger() != LedgerState.THIS_RUN_WITHOUT_SINCE) {
                    redis.opsForHash().put(ledger, "since", String.valueOf(tenant.since()));
                }
                redis.opsForHash().putAll(ledger, tenant.vouched());
            }
        }
        world.counters().forEach((key, state) -> {
            if (state.hash()) {
                redis.opsForHash().put(key, "field", "value");
            } else if (state.text() != null) {
                redis.opsForValue().set(key, state.text());
            } else {
                return;
            }
            if (state.ttlMs() > 0) {
                redis.expire(key, state.ttlMs(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private static Map<String, Stored> keysOf(World world) {
        Map<String, Stored> keys = new TreeMap<>();
        for (int tenant = 0; tenant < world.tenants().size(); tenant++) {
            for (String key : keysOf(world.tenant(tenant))) {
                Object value = switch (redis.type(key).code()) {
                    case "string" -> redis.opsForValue().get(key);
                    case "hash" -> new TreeMap<>(redis.opsForHash().entries(key));
                    default -> redis.type(key).code();
                };
                keys.put(key, new Stored(value, redis.getExpire(key, TimeUnit.MILLISECONDS)));
            }
        }
        return keys;
    }

    private static Set<String> keysOf(String tenant) {
        Set<String> keys = new TreeSet<>();
        ScanOptions options = ScanOptions.scanOptions().match("*" + CacheKeys.hashTag(tenant) + "*").count(1_000).build();
        try (Cursor<String> cursor = redis.scan(options)) {
            cursor.forEachRemaining(keys::add);
        }
        return keys;
    }

    /** Calls of each command redis-server has run, from {@code INFO commandstats}. */
    private static Map<String, Long> commandCalls() {
        Properties stats = redis.execute((RedisCallback<Properties>) (RedisConnection connection) ->
                connection.serverCommands().info("commandstats"));
        Map<String, Long> calls = new TreeMap<>();
        stats.forEach((name, value) -> calls.put(name.toString().replace("cmdstat_", ""),
                Long.parseLong(value.toString().replaceAll("^calls=(\\d+),.*$", "$1"))));
        return calls;
    }
}
