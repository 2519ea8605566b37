package io.cachebus.client.internal.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.cachebus.client.CacheKey;
import io.cachebus.client.testsupport.Workflow;
import io.cachebus.client.internal.tiered.CacheInstrumentation;
import io.cachebus.client.internal.tiered.DefaultTieredCache;
import io.cachebus.client.internal.tiered.FallbackStore;
import io.cachebus.client.internal.tiered.KnownRedisGenerations;
import io.cachebus.client.internal.tiered.LocalGenerations;
import io.cachebus.client.internal.tiered.LocalInvalidation;
import io.cachebus.client.internal.tiered.ReadGuards;
import io.cachebus.client.internal.tiered.ReadYourWrites;
import io.cachebus.client.internal.tiered.ValueCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sampler on the real read path (Caffeine L1, the in-memory L2, the JSON codec), with the loader as the
 * database: a value set here is a committed write; a write the cache is not told of is an eviction the node missed.
 */
class ConsistencySamplerTest {

    private static final Duration CONFIRM_AFTER = Duration.ofMillis(150);
    private static final CacheKey KEY = CacheKey.of("t1", "workflows").resource("/api/workflows/w1").build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicReference<Workflow> database = new AtomicReference<>(Workflow.named("v1"));
    /** When set, the next re-read of the database waits for it: a write can then commit between hit and re-read. */
    private final AtomicReference<CountDownLatch> reReadGate = new AtomicReference<>();
    private ConsistencySampler sampler;
    private DefaultTieredCache cache;

    @AfterEach
    void stopSampler() {
        CountDownLatch gate = reReadGate.getAndSet(null);
        if (gate != null) {
            gate.countDown();
        }
        sampler.close();
    }

    private void start(double rate, int maxPending, boolean withL1) {
        start(rate, maxPending, withL1, () -> Double.NaN);
    }

    private void start(double rate, int maxPending, boolean withL1, DoubleSupplier nodeLagSeconds) {
        ValueCodec codec = new ValueCodec(JsonMapper.builder().build());
        sampler = new ConsistencySampler(new ConsistencySampler.Settings(rate, CONFIRM_AFTER, Duration.ofSeconds(5),
                maxPending), codec, meters, nodeLagSeconds);
        LocalInvalidation local = new LocalInvalidation(new LocalGenerations(1_000),
                new FallbackStore(1_000, Duration.ofMinutes(1)));
        cache = new DefaultTieredCache(withL1 ? Caffeine.newBuilder().maximumSize(1_000).build() : null, local, null,
                new KnownRedisGenerations(1_000, Duration.ofMinutes(1)), new ReadYourWrites(Duration.ofSeconds(30)),
                codec, new CacheInstrumentation(meters, List.of()), ReadGuards.none().withSampler(sampler));
    }

    private final Supplier<Workflow> loader = () -> {
        CountDownLatch gate = reReadGate.get();
        if (gate != null && Thread.currentThread().getName().startsWith("cachebus-consistency")) {
            waitFor(gate);
        }
        Workflow row = database.get();
        if (row == null) {
            throw new NoSuchElementException("workflow w1 is gone");
        }
        return row;
    };

    private Workflow read() {
        return cache.get(KEY, Workflow.class, loader);
    }

    @Test
    void aHitOfTheDatabasesValueIsCheckedAndIsNotStale() {
        start(1, 4, true);
        read();

        assertThat(read()).isEqualTo(Workflow.named("v1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.CHECKED) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.inFlight() == 0);
        assertThat(count(ConsistencySampler.STALE_HITS)).isZero();
    }

    @Test
    void aNodeThatMissedAnEvictionServesStaleHitsAndTheirAgeIsHowLongItWentOnServingThem() throws Exception {
        start(1, 4, true);
        read();
        database.set(Workflow.named("v2"));

        assertThat(read()).as("no eviction reached the node").isEqualTo(Workflow.named("v1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.STALE_HITS) == 1);
        assertThat(meters.get(ConsistencySampler.STALE_HITS).tag("tier", "l1").tag("domain", "workflows").counter()
                .count()).isEqualTo(1);
        Thread.sleep(3 * CONFIRM_AFTER.toMillis());
        assertThat(meters.find(ConsistencySampler.STALE_AGE).timer()).as("still served: its age is not known yet")
                .isNull();
        cache.evictLocal("t1", "workflows");

        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.inFlight() == 0);
        Timer age = meters.get(ConsistencySampler.STALE_AGE).tag("domain", "workflows").timer();
        assertThat(age.count()).isEqualTo(1);
        assertThat(age.totalTime(TimeUnit.MILLISECONDS)).as("still served at three re-checks at least")
                .isGreaterThanOrEqualTo(3 * CONFIRM_AFTER.toMillis()).isLessThan(5_000);
        assertThat(count(ConsistencySampler.STALE_HITS)).as("one sample, one stale hit").isEqualTo(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aStaleHitsLogLineSaysHowFarBehindTheNodeHeldItself(CapturedOutput output) {
        start(1, 4, true, () -> 0.04);
        read();
        database.set(Workflow.named("v2"));
        read();

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("consistency stale hit, the node"));
        assertThat(output.getOut()).as("within its bound by its own reckoning: an eviction was lost")
                .containsPattern("tenant=t1 domain=workflows resource=/api/workflows/w1 tier=l1 "
                        + "supersededForAtLeastMs=\\d+ nodeLagMs=40(?!\\d)");
    }

    @Test
    void aWriteThatCommitsAfterTheHitAndIsEvictedInTimeIsNotAStaleHit() {
        start(1, 4, true);
        read();
        CountDownLatch gate = new CountDownLatch(1);
        reReadGate.set(gate);

        assertThat(read()).isEqualTo(Workflow.named("v1"));
        database.set(Workflow.named("v2"));
        cache.evictLocal("t1", "workflows");
        gate.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.CHECKED) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.inFlight() == 0);
        assertThat(count(ConsistencySampler.STALE_HITS)).as("the re-read saw the newer write, but the node moved on")
                .isZero();
    }

    @Test
    void anL2HitIsSampledToo() {
        start(1, 4, false);
        read();
        database.set(Workflow.named("v2"));

        assertThat(read()).isEqualTo(Workflow.named("v1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.STALE_HITS) == 1);
        assertThat(meters.get(ConsistencySampler.STALE_HITS).tag("tier", "l2_fallback").counter().count())
                .isEqualTo(1);
    }

    @Test
    void hitsSampledWhileMaxPendingAreInFlightAreDroppedAndCountedWithoutWaiting() {
        start(1, 1, true);
        read();
        CountDownLatch gate = new CountDownLatch(1);
        reReadGate.set(gate);

        for (int i = 0; i < 3; i++) {
            assertThat(read()).as("the request path never waits for the sampler").isEqualTo(Workflow.named("v1"));
        }

        assertThat(meters.get(ConsistencySampler.DROPPED).counter().count()).isEqualTo(2);
        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.CHECKED) == 1);
    }

    @Test
    void aReReadThatFailsIsAFailureNotAStaleHit() {
        start(1, 4, true);
        read();
        database.set(null);

        assertThat(read()).isEqualTo(Workflow.named("v1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> count(ConsistencySampler.FAILED) == 1);
        assertThat(count(ConsistencySampler.CHECKED) + count(ConsistencySampler.STALE_HITS)).isZero();
        assertThat(sampler.inFlight()).isZero();
    }

    @Test
    void aRateOfZeroSamplesNothing() throws Exception {
        start(0, 4, true);
        read();
        database.set(Workflow.named("v2"));

        for (int i = 0; i < 100; i++) {
            read();
        }

        Thread.sleep(2 * CONFIRM_AFTER.toMillis());
        assertThat(count(ConsistencySampler.CHECKED) + count(ConsistencySampler.STALE_HITS)).isZero();
    }

    private double count(String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void waitFor(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
