package io.cachebus.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The entry point of a service the local cluster runs in a JVM of its own: {@code ChildJvmMain <application class>
 * [--property=value ...]}; the cluster passes the properties in the environment instead (see {@link ChildJvmRuntime}),
 * so that no secret shows on the command line. Its standard input is a pipe from the cluster's JVM; when that pipe closes (the cluster's
 * JVM ended, however it ended) the service halts, so no orphaned service outlives a test run or a benchmark.
 */
public final class ChildJvmMain {

    private ChildJvmMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChildJvmMain <application class> [--property=value ...]");
        }
        Thread watchdog = new Thread(() -> haltWhenClosed(System.in), "cachebus-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class<?> application = Class.forName(args[0]);
        try {
            application.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltWhenClosed(InputStream parentPipe) {
        try {
            while (parentPipe.read() != -1) {
                // nothing is ever sent: the pipe only tells whether the cluster's JVM is alive
            }
        } catch (IOException closed) {
            // the same as end of stream
        }
        Runtime.getRuntime().halt(143);
    }
}
