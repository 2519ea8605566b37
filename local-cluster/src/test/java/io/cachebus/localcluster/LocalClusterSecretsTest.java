package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.api.security.LocalTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local cluster with an API node in a JVM of its own guards itself with nothing guessable: a random JWT secret, a
 * database with a random password that its TCP server serves on loopback only and never creates on demand, secrets
 * kept off the child's command line, and logs in a directory only this user can enter.
 */
class LocalClusterSecretsTest {

    private static final String CHILD_NODE = "api-1";

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(ClusterOptions.defaults().withApiNodes(1).withInvalidators(0).withoutRedis()
                .withSeparateJvm(CHILD_NODE));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theChildJvmGetsItsSecretsWithoutThemShowingOnItsCommandLine() throws Exception {
        String childCommandLine = ProcessHandle.current().children().map(LocalClusterSecretsTest::commandLine)
                .filter(commandLine -> commandLine.contains(ChildJvmMain.class.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no child JVM of the cluster found"));

        assertThat(childCommandLine).doesNotContain(cluster.jwtSecret()).doesNotContain("jdbc:")
                .doesNotContain("password").doesNotContain("secret");

        // and yet it has them: it verifies a token signed with the cluster's secret, and writes to the database
        String token = LocalTokens.mint(cluster.jwtSecret(), "secrets-test", Duration.ofMinutes(5), "test");
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(cluster.apiNode(0).baseUrl() + "/api/notifications"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"hello\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
    }

    /** What ps shows of a process: its whole command line, as Linux keeps it (NUL-separated) in /proc. */
    private static String commandLine(ProcessHandle process) {
        Path procCommandLine = Path.of("/proc", String.valueOf(process.pid()), "cmdline");
        try {
            return Files.readString(procCommandLine).replace('\0', ' ');
        } catch (java.io.IOException notLinuxOrGone) {
            return process.info().commandLine().orElse("");
        }
    }

    @Test
    void theJwtSecretIsNoneThatWasEverPublished() {
        assumeTrue(System.getenv("CACHEBUS_JWT_SECRET") == null, "CACHEBUS_JWT_SECRET is set: the cluster uses it");
        assertThat(LocalTokens.WELL_KNOWN_SECRETS).doesNotContain(cluster.jwtSecret());
        assertThat(cluster.jwtSecret().getBytes()).hasSizeGreaterThanOrEqualTo(LocalTokens.MIN_SECRET_BYTES);
    }

    @Test
    void theDatabaseServerNeedsTheClusterPasswordServesOnlyItsDatabaseAndListensOnLoopback() throws Exception {
        int port = cluster.databaseServerPort().orElseThrow();
        String tcpUrl = cluster.jdbcUrl().replace("jdbc:h2:mem:", "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:");

        assertThatThrownBy(() -> DriverManager.getConnection(tcpUrl, "sa", "").close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/mem:made-up",
                "sa", "").close()).as("no database is created for a client").isInstanceOf(SQLException.class);
        try (var connection = cluster.openDatabaseConnection()) {
            assertThat(connection.isValid(5)).isTrue();
        }

        Path listening = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(listening), "no /proc/net/tcp to read listening sockets from");
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        List<String> sockets = Files.readAllLines(listening).stream().skip(1).map(String::trim)
                .map(line -> line.split("\\s+")).filter(fields -> fields[1].endsWith(portHex) && fields[3].equals("0A"))
                .map(fields -> fields[1]).toList();
        assertThat(sockets).as("listening sockets on port %s (IPv4)", port).containsExactly("0100007F" + portHex);
        Path listening6 = Path.of("/proc/net/tcp6");
        if (Files.isReadable(listening6)) {
            assertThat(Files.readAllLines(listening6).stream().skip(1).map(String::trim)
                    .map(line -> line.split("\\s+"))
                    .filter(fields -> fields[1].endsWith(portHex) && fields[3].equals("0A")))
                    .as("no IPv6 socket listens on port %s", port).isEmpty();
        }
    }

    @Test
    void logsGoToAPrivateDirectoryNobodyCouldGuessAhead() throws Exception {
        Path logFile = cluster.apiNode(0).logFile().orElseThrow();
        Path directory = logFile.getParent();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(directory.getFileName().toString())
                .isNotEqualTo("cachebus-cluster-" + ProcessHandle.current().pid());
        assertThat(Files.readString(logFile)).doesNotContain(cluster.jwtSecret());
    }
}
