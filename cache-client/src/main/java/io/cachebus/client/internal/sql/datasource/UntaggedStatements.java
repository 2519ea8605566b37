package io.cachebus.client.internal.sql.datasource;

import java.util.function.Supplier;

/**
 * Statements the table-tagging DataSource must not tag, marked per thread: the outbox's own statements while a write
 * is being recorded (tagging them would record another row for every row: a loop), and statements of
 * {@code SqlCache}, which records its own writes with its own rules.
 */
public final class UntaggedStatements {

    private static final ThreadLocal<Integer> DEPTH = ThreadLocal.withInitial(() -> 0);

    private UntaggedStatements() {
    }

    /** Runs {@code work}; no statement it runs on this thread is tagged. */
    public static <T> T run(Supplier<T> work) {
        DEPTH.set(DEPTH.get() + 1);
        try {
            return work.get();
        } finally {
            int depth = DEPTH.get() - 1;
            if (depth == 0) {
                DEPTH.remove();
            } else {
                DEPTH.set(depth);
            }
        }
    }

    static boolean active() {
        return DEPTH.get() > 0;
    }
}
