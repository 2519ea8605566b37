package io.cachebus.client.internal.sql.jdbc;

import io.cachebus.client.CachebusMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** Micrometer counters of the SQL facility. */
final class SqlMetrics {


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

    private final Meter.MeterProvider<Counter> statements;
    private final Meter.MeterProvider<Counter> invalidations;

    SqlMetrics(MeterRegistry registry) {
        this.statements = CachebusMeter.SQL_STATEMENTS.counters(registry);
        this.invalidations = CachebusMeter.SQL_INVALIDATIONS.counters(registry);
    }

    void statement(Kind kind) {
        statements.withTag("kind", kind.tag).increment();
    }

    void invalidations(String trigger, int scopes) {
        invalidations.withTag("trigger", trigger).increment(scopes);
    }
}
