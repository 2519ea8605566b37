package io.cachebus.loadtest.cluster;

import java.nio.file.Path;

/**
 * Where a local cluster's service logs go: one directory per JVM under {@code java.io.tmpdir}, with a file per
 * service in a JVM of its own and, for the command line, {@value #SERVICE_LOG_FILE} for the services in this JVM.
 * No logger here: the command line asks for the file's name before logging starts.
 */
public final class ClusterLogs {

    /** The system property logback.xml writes the in-JVM services' log to. */
    public static final String SERVICE_LOG_PROPERTY = "cachebus.service-log";
    static final String SERVICE_LOG_FILE = "services.log";

    private ClusterLogs() {
    }

    public static Path directory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "cachebus-cluster-" + ProcessHandle.current().pid());
    }

    public static Path serviceLog() {
        return directory().resolve(SERVICE_LOG_FILE);
    }
}
