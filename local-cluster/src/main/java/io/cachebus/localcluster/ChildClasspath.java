package io.cachebus.localcluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Where a child JVM of the local cluster loads its classes from, and the class-data-sharing archive that spares it
 * most of that work.
 *
 * <p>A Spring Boot service spends most of its start loading, parsing and verifying classes: about 17 s of CPU for an
 * API node run from {@code load-test-exec.jar}'s nested jars, and the separate-process topology starts five such JVMs
 * together on two cores. So when the cluster runs from a Boot executable jar, that jar is extracted once beside itself
 * (Boot's own {@code -Djarmode=tools extract}, in a directory named by the jar's size and time, so a rebuilt jar gets a
 * fresh one), and every child runs from the extracted, plain classpath. On a classpath made only of jars the JDK's
 * dynamic class-data sharing (AppCDS) works: the first child of a main class and flag set writes an archive of the
 * classes it loaded when it exits ({@code -XX:ArchiveClassesAtExit}), and every later child maps that archive
 * ({@code -XX:SharedArchiveFile}) instead of loading those classes again. Measured on an API node starting alone:
 * 17.5 s of CPU from the nested jars, 13.2 s extracted, 8.1 s extracted with the archive.
 *
 * <p>The archive changes where class metadata comes from, not what runs: the same bytecode, interpreted and
 * JIT-compiled as before. Where it cannot be used (a JDK other than the one that wrote it, a changed classpath) the JVM
 * starts without it, as {@code -Xshare:auto} does. A classpath with directories (the tests' {@code target/classes})
 * cannot be archived and is used as it is.
 */
final class ChildClasspath {

    private static final Logger log = LoggerFactory.getLogger(ChildClasspath.class);
    private static final String BOOT_LOADER_PACKAGE = "org.springframework.boot.loader.";
    private static final String EXTRACTING_PREFIX = "extracting-";
    /** Between an archive's name and the pid of the JVM whose child is writing it. */
    private static final String WRITING = ".writing-";
    private static final long EXTRACT_TIMEOUT_SECONDS = 120;
    private static final ConcurrentMap<String, ChildClasspath> BY_CLASSPATH = new ConcurrentHashMap<>();

    private final String classpath;
    private final boolean nestedJars;
    private final Optional<Path> archiveDirectory;
    private final Set<String> archivesBeingWritten = ConcurrentHashMap.newKeySet();

    ChildClasspath(String classpath, boolean nestedJars, Optional<Path> archiveDirectory) {
        this.classpath = classpath;
        this.nestedJars = nestedJars;
        this.archiveDirectory = archiveDirectory;
    }

    /** The children's classpath for this JVM's {@code classpath}, worked out (and extracted) once per JVM. */
    static ChildClasspath of(String classpath) {
        return BY_CLASSPATH.computeIfAbsent(classpath, ChildClasspath::forClasspath);
    }

    /** The children's classpath for {@code classpath}, worked out anew (extracting a Boot executable jar if not done yet). */
    static ChildClasspath forClasspath(String classpath) {
        if (!isBootExecutableJar(classpath)) {
            return new ChildClasspath(classpath, false, Optional.empty());
        }
        Path bootJar = Path.of(classpath).toAbsolutePath();
        return extracted(bootJar)
                .map(jar -> new ChildClasspath(jar.toString(), false, Optional.of(jar.resolveSibling("cds"))))
                .orElseGet(() -> new ChildClasspath(classpath, true, Optional.empty()));
    }

    /**
     * How a child starts: the class-data-sharing flag (when this classpath has an archive directory), the classpath
     * and the entry point, {@link ChildJvmMain} running {@code mainClass}.
     *
     * @param mayWriteArchive whether this child, when no archive exists yet and no other child of this JVM is writing
     *                        it, writes the archive itself (false for a command line that is only shown)
     */
    Launch launch(String mainClass, JvmFlags flags, boolean mayWriteArchive) {
        List<String> arguments = new ArrayList<>();
        Optional<Path> writing = Optional.empty();
        if (archiveDirectory.isPresent()) {
            Path archive = archiveDirectory.get().resolve(archiveName(mainClass, flags));
            if (Files.isRegularFile(archive)) {
                arguments.add("-XX:SharedArchiveFile=" + archive);
            } else if (mayWriteArchive && archiveDirectoryExists() && archivesBeingWritten.add(archive.toString())) {
                removeAbandonedPartials(archive);
                Path partial = archive.resolveSibling(archive.getFileName() + WRITING
                        + ProcessHandle.current().pid());
                arguments.add("-XX:ArchiveClassesAtExit=" + partial);
                writing = Optional.of(partial);
            }
            // the JVM's notes on classes it leaves out of an archive, or on an archive it cannot use, are not news
            arguments.add("-Xlog:cds*=error,class+path=error");
        }
        if (nestedJars) {
            arguments.add("-Dloader.main=" + ChildJvmMain.class.getName());
            arguments.addAll(List.of("-cp", classpath, BOOT_LOADER_PACKAGE + "launch.PropertiesLauncher"));
        } else {
            arguments.addAll(List.of("-cp", classpath, ChildJvmMain.class.getName()));
        }
        arguments.add(mainClass);
        return new Launch(List.copyOf(arguments), writing);
    }

    /**
     * Deletes what children of JVMs that have ended left half-written (a child halted with its cluster's JVM, say):
     * large files nobody would ever move into place.
     */
    private static void removeAbandonedPartials(Path archive) {
        String prefix = archive.getFileName() + WRITING;
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(archive.getParent(), prefix + "*")) {
            for (Path partial : partials) {
                String pid = partial.getFileName().toString().substring(prefix.length());
                if (pid.chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(partial);
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("could not look for abandoned archives archive={} reason={}", archive, e.toString());
        }
    }

    private boolean archiveDirectoryExists() {
        try {
            Files.createDirectories(archiveDirectory.orElseThrow());
            return true;
        } catch (IOException e) {
            log.warn("children start without a class data sharing archive directory={} reason={}",
                    archiveDirectory.get(), e.toString());
            return false;
        }
    }

    /**
     * Once {@code process} has exited, puts the archive it wrote (if it exited the clean way: a SIGKILL writes none)
     * where later children find it.
     */
    void started(Process process, Launch launch) {
        launch.archiveBeingWritten().ifPresent(partial -> process.onExit().thenRun(() -> publish(partial)));
    }

    private void publish(Path partial) {
        String name = partial.getFileName().toString();
        Path archive = partial.resolveSibling(name.substring(0, name.lastIndexOf(WRITING)));
        try {
            if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.info("class data sharing archive written archive={}", archive);
            }
        } catch (IOException e) {
            log.warn("cannot keep the class data sharing archive archive={} reason={}", archive, e.toString());
        } finally {
            archivesBeingWritten.remove(archive.toString());
        }
    }

    /** The archive of one main class and flag set, for this JDK: another JDK's archive would not map. */
    static String archiveName(String mainClass, JvmFlags flags) {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + flags.name().toLowerCase() + "-jdk"
                + Runtime.version().toString().replaceAll("[^0-9A-Za-z.]", "_") + ".jsa";
    }

    /** The arguments after a child's JVM flags, and the archive this child writes at its exit, if it does. */
    record Launch(List<String> arguments, Optional<Path> archiveBeingWritten) {
    }

    /**
     * The extracted copy of {@code bootJar}: {@code <jar>-extracted/<size>-<modified>/<jar name>} with its
     * {@code lib/}, made once (by whichever JVM gets there first) and reused until the jar changes; copies of older
     * builds are removed. Empty, and the nested jars used as before, where extracting fails.
     */
    static Optional<Path> extracted(Path bootJar) {
        try {
            String jarName = bootJar.getFileName().toString();
            Path root = bootJar.resolveSibling(jarName.replaceFirst("\\.jar$", "") + "-extracted");
            Path copy = root.resolve(Files.size(bootJar) + "-" + Files.getLastModifiedTime(bootJar).toMillis());
            Path jar = copy.resolve(jarName);
            if (!Files.isRegularFile(jar)) {
                extractInto(bootJar, root, copy);
                removeOtherBuilds(root, copy);
            }
            return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
        } catch (IOException e) {
            log.warn("cannot extract the executable jar; children load its nested jars jar={} reason={}", bootJar,
                    e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void extractInto(Path bootJar, Path root, Path copy) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, EXTRACTING_PREFIX);
        try {
            Path destination = work.resolve("out");
            Path output = work.resolve("extract.log");
            Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djarmode=tools", "-jar", bootJar.toString(), "extract", "--destination", destination.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!extract.waitFor(EXTRACT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                extract.destroyForcibly();
                throw new IOException("extracting took over " + EXTRACT_TIMEOUT_SECONDS + " s");
            }
            if (extract.exitValue() != 0) {
                throw new IOException("extracting exited with status " + extract.exitValue() + ": "
                        + Files.readString(output).strip());
            }
            try {
                Files.move(destination, copy, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWasFirst) {
                // its copy is of the same jar
            }
        } finally {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    private static void removeOtherBuilds(Path root, Path current) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (!entry.equals(current) && !entry.getFileName().toString().startsWith(EXTRACTING_PREFIX)) {
                    FileSystemUtils.deleteRecursively(entry);
                }
            }
        }
    }

    static boolean isBootExecutableJar(String classpath) {
        if (!classpath.endsWith(".jar") || classpath.contains(File.pathSeparator)) {
            return false;
        }
        try (JarFile jar = new JarFile(classpath)) {
            Manifest manifest = jar.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            return main != null && main.startsWith(BOOT_LOADER_PACKAGE);
        } catch (IOException e) {
            return false;
        }
    }
}
