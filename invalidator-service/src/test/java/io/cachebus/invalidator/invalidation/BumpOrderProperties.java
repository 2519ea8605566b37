package io.cachebus.invalidator.invalidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.CacheKeys;
import io.cachebus.events.GenerationLedger;
import io.cachebus.invalidator.testing.NodeReads;
import io.cachebus.local.redis.RedisServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The bump INCRs a domain or collections counter before it checks the old value against the ledger; before, it
 * vouched for the counter (re-seeding it if need be) and then INCRed it. Both orders must give the same generation,
 * counter, ledger entry and TTL from any state a counter and its ledger can be in: missing, a number below, at or
 * above what the ledger vouches for, text; vouched for or not; the ledger of this Redis run or of another one. The
 * earlier order is rebuilt from today's script by putting its three lines back. A re-seed takes the server's clock,
 * read by each call: two re-seeds from the clock are equal up to the time between the two calls.
 */
class BumpOrderProperties {

    private static final String INCR_FIRST = "value = bumped_counter(ledger, KEYS[i], ARGV[1], now)";
    private static final String VOUCH_FIRST = """
            vouched_counter(ledger, KEYS[i], ARGV[1], since, now)
                              value = redis.call('INCR', KEYS[i])
                              redis.call('HSET', ledger, KEYS[i], string.format('%.0f', value))""";
    private static final String TTL_MS = "86400000";
    /** Far above the server's clock in microseconds (about 1.8e15): a re-seed from such a value ignores the clock. */
    private static final long ABOVE_CLOCK = 4_000_000_000_000_000L;

    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static RedisServer server;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> NEW = RedisScript.of(GenerationLedger.BUMP, List.class);
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> OLD = RedisScript.of(GenerationLedger.BUMP.replace(INCR_FIRST, VOUCH_FIRST),
            List.class);

    @BeforeContainer
    static void start() {
        assertThat(GenerationLedger.BUMP).as("the line the earlier order is rebuilt around").contains(INCR_FIRST);
        server = RedisServer.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterContainer
    static void stop() {
        connections.destroy();
        server.close();
    }

    /** What a counter holds before the bump, and what its ledger says of it. */
    record State(String counter, String vouched, boolean ledgerOfThisRun) {
    }

    @Property(tries = 300)
    void incrementingFirstGivesWhatVouchingFirstGave(@ForAll("states") State state) {
        long clockBefore = clockMicros();
        Outcome vouchFirst = bump(OLD, state);
        Outcome incrementFirst = bump(NEW, state);
        long clockAfter = clockMicros();

        if (vouchFirst.generation() > clockBefore && vouchFirst.generation() <= clockAfter + 2) {
            // re-seeded from the clock by both, each at its own moment
            assertThat(incrementFirst.generation()).isBetween(vouchFirst.generation(), clockAfter + 2);
        } else {
            assertThat(incrementFirst.generation()).isEqualTo(vouchFirst.generation());
        }
        for (Outcome outcome : List.of(vouchFirst, incrementFirst)) {
            assertThat(outcome.counter()).as("the counter holds the generation").isEqualTo(outcome.generation());
            assertThat(outcome.ledger()).as("the ledger vouches for it").isEqualTo(outcome.generation());
            assertThat(outcome.ttlMs()).as("the counter's TTL").isPositive();
        }
        assertThat(incrementFirst.generation()).as("never a value the counter or the ledger had")
                .isGreaterThan(highestBefore(state));
    }

    /**
     * Counters of any number from 0 up; ledger values from 1 up, as in a ledger: each came from the server's clock or
     * from above it (with a ledger value of 0, which no ledger holds, a counter holding 0 is re-seeded by today's order
     * and continued by the earlier one: the safe way round).
     */
    @Provide
    Arbitrary<State> states() {
        Arbitrary<Long> number = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.longs().between(ABOVE_CLOCK, ABOVE_CLOCK + 1_000));
        Arbitrary<String> counter = Arbitraries.oneOf(
                Arbitraries.just((String) null),
                number.map(String::valueOf),
                Arbitraries.just("not-a-number"));
        Arbitrary<String> vouched = Arbitraries.oneOf(Arbitraries.just((String) null),
                number.filter(value -> value >= 1).map(String::valueOf));
        return Combinators.combine(counter, vouched, Arbitraries.of(true, false)).as(State::new);
    }

    /** The state around a counter equal to its ledger's value, above and below it, as well as the random ones. */
    @Property(tries = 30)
    void countersNextToTheirLedgerValueAgreeToo(@ForAll("nearLedger") State state) {
        incrementingFirstGivesWhatVouchingFirstGave(state);
    }

    /**
     * A ledger value of 0 no script writes; were one there, an INCR that gives 1 (the counter missing or at 0) is still
     * re-seeded from the clock, never continued from 0.
     */
    @Example
    void aResultOfOneIsReseededWhateverTheLedgerSays() {
        for (String counter : new String[] {null, "0"}) {
            long clockBefore = clockMicros();
            assertThat(bump(NEW, new State(counter, "0", true)).generation()).as("counter %s", counter)
                    .isGreaterThan(clockBefore);
        }
    }

    @Provide
    Arbitrary<State> nearLedger() {
        Arbitrary<Long> vouched = Arbitraries.oneOf(Arbitraries.longs().between(1, 1_000_000),
                Arbitraries.longs().between(ABOVE_CLOCK, ABOVE_CLOCK + 1_000));
        return Combinators.combine(vouched, Arbitraries.integers().between(-1, 1), Arbitraries.of(true, false))
                .as((value, offset, thisRun) -> new State(String.valueOf(value + offset), String.valueOf(value),
                        thisRun));
    }

    private record Outcome(long generation, long counter, long ledger, long ttlMs) {
    }

    /** Sets {@code state} up for a tenant of its own and bumps its domain counter with {@code script}. */
    @SuppressWarnings("rawtypes")
    private static Outcome bump(RedisScript<List> script, State state) {
        String tenant = "t" + TENANTS.incrementAndGet();
        String ledger = CacheKeys.ledgerKey(tenant);
        String counter = CacheKeys.generationKeyOfDomain(tenant, "workflows");
        // a ledger of this run: the read script names the run in it, as the invalidator's first bump would
        NodeReads.readGenerations(redis, tenant, CacheKeys.generationKeyOfDomain(tenant, "other"));
        if (!state.ledgerOfThisRun()) {
            redis.opsForHash().put(ledger, "run", "0123456789abcdef0123456789abcdef01234567");
        }
        if (state.vouched() != null) {
            redis.opsForHash().put(ledger, counter, state.vouched());
        }
        if (state.counter() != null) {
            redis.opsForValue().set(counter, state.counter());
        }
        List generations = redis.execute(script, List.of(ledger, counter), TTL_MS, "1");
        long generation = ((Number) generations.get(0)).longValue();
        return new Outcome(generation, Long.parseLong(redis.opsForValue().get(counter)),
                Long.parseLong((String) redis.opsForHash().get(ledger, counter)),
                redis.getExpire(counter, TimeUnit.MILLISECONDS));
    }

    /**
     * The highest value the counter had, and, in a ledger of this run, that the ledger vouched for. A ledger of
     * another run is forgotten: its values came from that run's clock, which a re-seed from this one's exceeds (the
     * states here may put them above any clock, where that argument does not reach).
     */
    private static long highestBefore(State state) {
        long highest = number(state.counter());
        return state.ledgerOfThisRun() ? Math.max(highest, number(state.vouched())) : highest;
    }

    private static long number(String value) {
        return value != null && value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : 0;
    }

    private static long clockMicros() {
        Long micros = redis.execute((RedisCallback<Long>) connection ->
                connection.serverCommands().time(TimeUnit.MICROSECONDS));
        return micros;
    }
}
