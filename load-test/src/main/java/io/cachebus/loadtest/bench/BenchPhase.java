package io.cachebus.loadtest.bench;

import java.util.List;

/**
 * One measurement of a run. It fills its figures into the {@link ResultSheet}, or leaves them empty with the
 * reason when the target cannot offer what it needs; an exception fails the phase, which marks exactly
 * {@link #figures()} as not measured, and the run goes on.
 */
interface BenchPhase {

    /** The report fields this phase fills. */
    List<String> figures();

    void run(ResultSheet sheet) throws InterruptedException;
}
