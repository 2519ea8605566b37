package io.cachebus.client.autoconfigure;

import io.cachebus.client.internal.tiered.RedisEntryStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Opens the node's Redis connection once every bean exists, before the web server or any listener starts
 * ({@link RedisEntryStore#connect}), so the first burst of reads finds it open. A Redis that does not answer does not
 * stop the start: the node serves from the fallback until it does, as it would after an outage.
 */
final class RedisConnectionAtStart implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RedisConnectionAtStart.class);

    private final RedisEntryStore store;

    RedisConnectionAtStart(RedisEntryStore store) {
        this.store = store;
    }

    @Override
    public void afterSingletonsInstantiated() {
        long started = System.nanoTime();
        Optional<RuntimeException> failure = store.connect();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        failure.ifPresentOrElse(
                e -> log.warn("cache redis connection at start failed (down, or this JVM too busy to connect within "
                        + "the connect timeout), reads open it again and use the fallback meanwhile tookMs={} error={}",
                        tookMs, e.toString()),
                () -> log.info("cache redis connected at start tookMs={}", tookMs));
    }
}
