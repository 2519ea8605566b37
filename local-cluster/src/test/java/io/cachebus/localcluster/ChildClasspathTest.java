package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.Repackager;
import org.springframework.util.ClassUtils;

/**
 * A child run from a Boot executable jar runs from its extracted copy, and the first child of a main class leaves a
 * class-data-sharing archive that the next one maps: checked on a real executable jar (Boot's own repackager, as the
 * Maven plugin builds {@code load-test-exec.jar}) and real child JVMs.
 */
class ChildClasspathTest {

    private static final String PROBE = ArchiveProbe.class.getName();

    @TempDir
    Path directory;

    @Test
    void theFirstChildOfAMainClassWritesTheArchiveAndTheNextChildLoadsItsClassesFromIt() throws Exception {
        Path bootJar = executableJar();
        assertThat(ChildClasspath.isBootExecutableJar(bootJar.toString())).isTrue();
        ChildClasspath classpath = ChildClasspath.forClasspath(bootJar.toString());

        ChildClasspath.Launch writer = classpath.launch(PROBE, JvmFlags.DRILL, true);
        ChildClasspath.Launch meanwhile = classpath.launch(PROBE, JvmFlags.DRILL, true);
        ChildClasspath.Launch shown = classpath.launch(PROBE, JvmFlags.DRILL, false);

        assertThat(writer.arguments()).anyMatch(argument -> argument.startsWith("-XX:ArchiveClassesAtExit="));
        assertThat(writer.arguments()).containsSequence(ChildJvmMain.class.getName(), PROBE);
        assertThat(classpathOf(writer)).startsWith(directory.resolve("app").resolve("probe-exec-extracted").toString())
                .endsWith("probe-exec.jar");
        assertThat(meanwhile.archiveBeingWritten()).as("one writer per main class at a time").isEmpty();
        assertThat(shown.archiveBeingWritten()).as("a command line that is only shown writes nothing").isEmpty();
        assertThat(meanwhile.arguments()).noneMatch(argument -> argument.startsWith("-XX:Shared")
                || argument.startsWith("-XX:ArchiveClasses"));

        assertThat(run(classpath, writer, List.of())).contains("archive probe ran");
        Path archive = Path.of(classpathOf(writer)).resolveSibling("cds")
                .resolve(ChildClasspath.archiveName(PROBE, JvmFlags.DRILL));
        awaitFile(archive);

        ChildClasspath.Launch reader = classpath.launch(PROBE, JvmFlags.DRILL, true);
        assertThat(reader.arguments()).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(reader.archiveBeingWritten()).isEmpty();
        assertThat(run(classpath, reader, List.of("-Xlog:class+load=info")))
                .contains("archive probe ran")
                .contains(PROBE + " source: shared objects file (top)");
    }

    @Test
    void aJarIsExtractedOnceAndARebuiltJarReplacesTheOldCopy() throws Exception {
        Path bootJar = executableJar();
        Path first = ChildClasspath.extracted(bootJar).orElseThrow();
        Files.writeString(first.resolveSibling("marker"), "kept while the jar is the same");

        assertThat(ChildClasspath.extracted(bootJar)).contains(first);
        assertThat(first.resolveSibling("marker")).exists();

        Files.setLastModifiedTime(bootJar, FileTime.from(Instant.now().plusSeconds(60)));
        Path second = ChildClasspath.extracted(bootJar).orElseThrow();

        assertThat(second).isNotEqualTo(first).isRegularFile();
        assertThat(first.getParent()).doesNotExist();
        try (Stream<Path> copies = Files.list(second.getParent().getParent())) {
            assertThat(copies).containsExactly(second.getParent());
        }
    }

    @Test
    void aClasspathOfDirectoriesIsUsedAsItIsWithoutAnArchive() {
        String testClasspath = System.getProperty("java.class.path");

        ChildClasspath.Launch launch = ChildClasspath.forClasspath(testClasspath).launch(PROBE, JvmFlags.DRILL, true);

        assertThat(launch.arguments()).containsExactly("-cp", testClasspath, ChildJvmMain.class.getName(), PROBE);
        assertThat(launch.archiveBeingWritten()).isEmpty();
    }

    private static String classpathOf(ChildClasspath.Launch launch) {
        return launch.arguments().get(launch.arguments().indexOf("-cp") + 1);
    }

    private String run(ChildClasspath classpath, ChildClasspath.Launch launch, List<String> extraFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.DRILL.flags());
        command.addAll(extraFlags);
        command.addAll(launch.arguments());
        Path output = Files.createTempFile(directory, "child", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        classpath.started(process, launch);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child ends by itself").isTrue();
        String printed = Files.readString(output);
        assertThat(process.exitValue()).as(printed).isZero();
        return printed;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.isRegularFile(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(file).isRegularFile();
    }

    /** A jar of ChildJvmMain and the probe, repackaged as Boot's Maven plugin repackages load-test's jar. */
    private Path executableJar() throws IOException, URISyntaxException {
        Path plain = directory.resolve("probe.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plain), manifest)) {
            for (Class<?> type : List.of(ChildJvmMain.class, ArchiveProbe.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream bytes = type.getClassLoader().getResourceAsStream(entry)) {
                    bytes.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Path bootJar = Files.createDirectories(directory.resolve("app")).resolve("probe-exec.jar");
        Repackager repackager = new Repackager(plain.toFile());
        repackager.setMainClass(ChildJvmMain.class.getName());
        // Boot's extract tool (a jar mode inside the executable jar) runs on spring-core and its logging, as every
        // Boot application has them
        List<File> libraries = new ArrayList<>();
        for (Class<?> type : List.of(ClassUtils.class, LogFactory.class)) {
            libraries.add(new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        repackager.repackage(bootJar.toFile(), callback -> {
            for (File library : libraries) {
                callback.library(new Library(library, LibraryScope.RUNTIME));
            }
        });
        return bootJar;
    }

    @Test
    void whatAChildOfAnEndedJvmLeftHalfWrittenIsRemovedAndALiveOnesIsNot() throws Exception {
        ChildClasspath classpath = ChildClasspath.forClasspath(executableJar().toString());
        String shown = classpathOf(classpath.launch(PROBE, JvmFlags.DRILL, false));
        Path archives = Files.createDirectories(Path.of(shown).resolveSibling("cds"));
        String archive = ChildClasspath.archiveName(PROBE, JvmFlags.DRILL);
        Path abandoned = Files.writeString(archives.resolve(archive + ".writing-2147483646"), "half");
        long aliveJvm = ProcessHandle.current().parent().orElseThrow().pid();
        Path live = Files.writeString(archives.resolve(archive + ".writing-" + aliveJvm), "being written");

        ChildClasspath.Launch writer = classpath.launch(PROBE, JvmFlags.DRILL, true);

        assertThat(writer.archiveBeingWritten()).isPresent();
        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
    }
}
