package io.cachebus.local;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals to a process of our own by its id, with the system's {@code kill} (Java has no portable way to send them). */
public final class ProcessSignals {

    /** SIGSTOP: the process is frozen; the kernel still accepts connections for it, nothing answers them. */
    public static final String STOP = "STOP";
    /** SIGCONT: a stopped process goes on. */
    public static final String CONTINUE = "CONT";

    private ProcessSignals() {
    }

    public static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not send SIG" + signal + " to " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }
}
