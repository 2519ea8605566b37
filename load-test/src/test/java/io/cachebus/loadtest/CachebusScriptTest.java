package io.cachebus.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./cachebus} script: its usage lists every command, its own and the Java command line's; no
 * command and unknown commands are status 2; the Java commands get the user's arguments exactly as given. Nothing
 * is built: a stand-in {@code java} on the PATH records how the script calls it.
 */
class CachebusScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("cachebus");
    private static final List<String> MAVEN_COMMANDS = List.of("test", "images", "docs");

    @TempDir
    Path temp;

    @Test
    void helpListsEveryCommandOfTheScriptAndOfTheJavaCommandLine() throws Exception {
        Run help = run(Map.of(), temp, "--help");

        assertThat(help.exitCode).isZero();
        List<String> commands = new ArrayList<>(javaCommands());
        commands.addAll(MAVEN_COMMANDS);
        for (String command : commands) {
            assertThat(help.out).as("usage line of %s", command).containsPattern("(?m)^  " + command + " +\\S");
        }
        assertThat(run(Map.of(), temp, "help").out).isEqualTo(help.out);
    }

    @Test
    void noCommandOrAnUnknownOneIsStatusTwoWithTheUsage() throws Exception {
        Run none = run(Map.of(), temp);
        assertThat(none.exitCode).isEqualTo(2);
        assertThat(none.out).isEmpty();
        assertThat(none.err).contains("usage: ./cachebus COMMAND", "demo", "test");

        Run unknown = run(Map.of(), temp, "frobnicate");
        assertThat(unknown.exitCode).isEqualTo(2);
        assertThat(unknown.err).contains("unknown command 'frobnicate'", "usage: ./cachebus COMMAND");
    }

    @Test
    void theMavenCommandsAnswerHelpWithoutRunningMaven() throws Exception {
        for (String command : MAVEN_COMMANDS) {
            Run help = run(Map.of(), temp, command, "--help");
            assertThat(help.exitCode).as(command).isZero();
            assertThat(help.out).startsWith("usage: ./cachebus " + command);
        }
    }

    @Test
    void javaCommandsGetTheArgumentsAsGivenInTheCallersDirectory() throws Exception {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path calls = temp.resolve("java-calls");
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\n{ pwd; printf '%s\\n' \"$@\"; } > '" + calls + "'\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(temp.resolve("cli.jar"), "stand-in");
        Path caller = Files.createDirectories(temp.resolve("somewhere"));
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "CACHEBUS_CLI_JAR", jar.toString(), "CACHEBUS_REDIS_SERVER", "redis-server", "JAVA_OPTS", "-Xmx64m");

        Run bench = run(env, caller, "bench", "--profile", "quick", "--output-dir", "x");
        assertThat(bench.exitCode).as(bench.err).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly(caller.toRealPath().toString(), "-Xmx64m", "-jar",
                jar.toString(), "bench", "--profile", "quick", "--output-dir", "x");

        run(env, caller, "help", "token");
        assertThat(Files.readAllLines(calls)).endsWith("token", "--help");
    }

    /** The commands the Java command line offers, from its own command tree. */
    private static List<String> javaCommands() {
        return CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()), System.err).getSubcommands()
                .keySet().stream().filter(name -> !name.equals("help")).toList();
    }

    private Run run(Map<String, String> env, Path directory, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(env);
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
    }
}
