package io.cachebus.minimal;

import io.cachebus.client.CacheKey;
import io.cachebus.client.TieredCache;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Reads through the tiered cache; counts the loads so that a test can tell a hit from a miss. */
@RestController
public class GreetingController {

    private final TieredCache cache;
    private final AtomicInteger loads = new AtomicInteger();

    public GreetingController(TieredCache cache) {
        this.cache = cache;
    }

    @GetMapping("/greetings/{name}")
    public String greeting(@PathVariable String name) {
        CacheKey key = CacheKey.of("local", "greetings").resource("/greetings/" + name).build();
        return cache.get(key, String.class, () -> {
            loads.incrementAndGet();
            return "hello " + name;
        });
    }

    /** How many reads missed every tier and ran the loader. */
    public int loads() {
        return loads.get();
    }
}
