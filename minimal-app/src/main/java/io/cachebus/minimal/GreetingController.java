package io.cachebus.minimal;

import io.cachebus.client.CacheKey;
import io.cachebus.client.TieredCache;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Reads through the tiered cache. */
@RestController
public class GreetingController {

    private final TieredCache cache;

    public GreetingController(TieredCache cache) {
        this.cache = cache;
    }

    @GetMapping("/greetings/{name}")
    public String greeting(@PathVariable String name) {
        CacheKey key = CacheKey.of("local", "greetings").resource("/greetings/" + name).build();
        return cache.get(key, String.class, () -> "hello " + name);
    }
}
