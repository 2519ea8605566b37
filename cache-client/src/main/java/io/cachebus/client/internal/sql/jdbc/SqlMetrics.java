package io.cachebus.client.internal.sql.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Micrometer counters of the SQL facility. */
final class SqlMetrics {

    /** Statements run through the facility, by {@code kind}: how each was handled. */
    static final String STATEMENTS = "cachebus.sql.statements";
    /** Scopes recorded for invalidation, by {@code trigger}: a {@code write} or an explicit {@code flush}. */
    static final String INVALIDATIONS = "cachebus.sql.invalidations";

    enum Kind {
        CACHED_READ("cached-read"),
        UNCACHED_READ("uncached-read"),
        WRITE("write"),
        OTHER("other"),
        UNREADABLE("unreadable");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    SqlMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void statement(Kind kind) {
        counter(STATEMENTS, "kind", kind.tag).increment();
    }

    void invalidations(String trigger, int scopes) {
        counter(INVALIDATIONS, "trigger", trigger).increment(scopes);
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value,
                id -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
