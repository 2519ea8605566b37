package io.cachebus.localcluster;

import java.nio.file.Path;

/**
 * Where the command line's service log goes: {@value #SERVICE_LOG_FILE} in a directory per JVM under
 * {@code java.io.tmpdir}, for the services that run in this JVM. No logger here: the command line asks for the
 * file's name before logging starts.
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
