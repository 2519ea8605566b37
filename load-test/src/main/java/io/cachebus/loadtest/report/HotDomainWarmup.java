package io.cachebus.loadtest.report;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The report's {@value #FIELD}: the hot-domain phase's warm-up, which goes on in rounds until the JIT compilers of the
 * target's JVMs have settled or its limit has passed, so the measured slices that follow see the JVMs as a
 * long-running deployment has them.
 *
 * @param secondsEachKind   how long each kind of port was written before the measure
 * @param rounds            its rounds (a slice of each kind each)
 * @param jitCompilerShare  the JIT compilers' share of the target's CPU in the last round; {@code null} without
 *                          thread figures
 * @param settled           whether that share was at most {@code settledShare}; {@code null} without thread figures
 * @param settledShare      the share at which the compilers count as settled
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HotDomainWarmup(double secondsEachKind, int rounds, Double jitCompilerShare, Boolean settled,
        double settledShare) {

    public static final String FIELD = "hot_domain_write_warmup";
}
