package io.cachebus.client.internal.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.CacheKey;
import io.cachebus.client.testsupport.Node;
import io.cachebus.client.testsupport.Workflow;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A miss waits for another request's load of the same key only up to {@code cachebus.shared-load-max-wait}. */
class SharedLoadWaitTest {

    private static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.named("shared-load-wait").property("cachebus.shared-load-max-wait", "300ms").start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void aMissWaitingOnAHungLoadOfTheSameKeyLoadsItselfAfterTheWait() throws Exception {
        CacheKey key = CacheKey.of("t1", "workflows").resource("/api/workflows/hung").build();
        CountDownLatch hungLoadStarted = new CountDownLatch(1);
        CountDownLatch releaseHungLoad = new CountDownLatch(1);
        CompletableFuture<Workflow> hung = CompletableFuture.supplyAsync(() -> node.cache().get(key, Workflow.class,
                () -> {
                    hungLoadStarted.countDown();
                    await(releaseHungLoad);
                    return Workflow.named("late");
                }));
        try {
            assertThat(hungLoadStarted.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();

            Workflow waiter = CompletableFuture.supplyAsync(() -> node.cache().get(key, Workflow.class,
                    () -> Workflow.named("own"))).get(10, TimeUnit.SECONDS);

            assertThat(waiter).isEqualTo(Workflow.named("own"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            releaseHungLoad.countDown();
        }
        assertThat(hung.get(10, TimeUnit.SECONDS)).isEqualTo(Workflow.named("late"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
