package io.cachebus.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final Set<String> VALUED = Set.of("profile", "target-urls");
    private static final Set<String> FLAGS = Set.of("keep-running");

    @Test
    void readsValuesInBothSpellingsFlagsAndLists() {
        CommandLine line = CommandLine.parse(new String[] {"bench", "--profile", "quick",
                "--target-urls=http://a:1, http://b:2,", "--keep-running"}, VALUED, FLAGS);
        assertThat(line.command()).isEqualTo("bench");
        assertThat(line.value("profile")).hasValue("quick");
        assertThat(line.list("target-urls")).containsExactly("http://a:1", "http://b:2");
        assertThat(line.flag("keep-running")).isTrue();
        assertThat(line.value("missing")).isEmpty();
        assertThat(line.list("missing")).isEmpty();
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {}, VALUED, FLAGS))
                .hasMessageContaining("no command");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "--nope"}, VALUED, FLAGS))
                .hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "--profile"}, VALUED, FLAGS))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "--profile", "--keep-running"}, VALUED,
                FLAGS)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "--keep-running=yes"}, VALUED, FLAGS))
                .hasMessageContaining("takes no value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "quick"}, VALUED, FLAGS))
                .hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bench", "--profile", "a", "--profile", "b"},
                VALUED, FLAGS)).hasMessageContaining("twice");
    }

    @Test
    void theCliAnswersABadCommandLineWithUsageAndExitStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(CachebusCli.run(new String[] {"bench", "--profile", "nonexistent", "--output-dir", "x"},
                outStream, errStream)).isEqualTo(CachebusCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown profile 'nonexistent'; known: quick, full");

        assertThat(CachebusCli.run(new String[] {"frobnicate"}, outStream, errStream)).isEqualTo(CachebusCli.USAGE);
        assertThat(CachebusCli.run(new String[] {"bench", "--output-dir", "x"}, outStream, errStream))
                .isEqualTo(CachebusCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench needs --profile NAME");

        for (String rate : new String[] {"0", "-5", "fast", "NaN"}) {
            assertThat(CachebusCli.run(new String[] {"bench", "--profile", "quick", "--output-dir", "x", "--rate",
                    rate}, outStream, errStream)).isEqualTo(CachebusCli.USAGE);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rate takes a positive number");

        assertThat(CachebusCli.run(new String[] {"help"}, outStream, errStream)).isEqualTo(CachebusCli.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("bench --profile NAME").contains("demo");
    }
}
