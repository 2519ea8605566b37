package io.cachebus.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.cachebus.api.security.LocalTokens;
import io.cachebus.loadtest.deployment.BearerTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's contract: usage errors are status 2 with the usage, help is status 0, options parse. */
class CachebusCliTest {

    private static final String SECRET = "the-secret-a-local-cluster-was-started-with";
    private static final Map<String, String> WITH_SECRET = Map.of(BearerTokens.SECRET_ENVIRONMENT_VARIABLE, SECRET);

    @Test
    void noCommandIsAUsageErrorThatListsEveryCommand() {
        Result result = run(Map.of());

        assertThat(result.exitCode).isEqualTo(CachebusCli.USAGE);
        assertThat(result.out).isEmpty();
        assertThat(result.err).contains("no command given", "Usage: cachebus", "demo", "bench", "token");
    }

    @Test
    void everyCommandAnswersHelpWithStatusZero() {
        for (String command : List.of("demo", "bench", "token")) {
            for (String help : List.of("--help", "-h")) {
                Result result = run(Map.of(), command, help);
                assertThat(result.exitCode).as("%s %s", command, help).isEqualTo(CachebusCli.OK);
                assertThat(result.out).contains("Usage: cachebus " + command);
                assertThat(result.err).isEmpty();
            }
            assertThat(run(Map.of(), "help", command).out).contains("Usage: cachebus " + command);
        }
        Result top = run(Map.of(), "--help");
        assertThat(top.exitCode).isEqualTo(CachebusCli.OK);
        assertThat(top.out).contains("demo", "bench", "token", "test, images and docs");
        assertThat(run(Map.of(), "bench", "--help").out).contains("quick, full");
    }

    @Test
    void usageErrorsAreStatusTwoWithTheReasonAndTheCommandsUsage() {
        assertUsageError("Unmatched argument", "frobnicate");
        assertUsageError("Missing required option: '--profile=NAME'", "bench");
        assertUsageError("unknown profile 'nonexistent'; known: quick, full", "bench", "--profile", "nonexistent");
        for (String rate : List.of("0", "-5", "fast", "NaN", "Infinity")) {
            assertUsageError("a positive number of requests per second", "bench", "--profile", "quick", "--rate", rate);
        }
        assertUsageError("Unknown option: '--nope'", "demo", "--nope");
        assertUsageError("--live-seconds is 0 (no live view) or more seconds, not -1", "demo", "--live-seconds", "-1");
        assertUsageError("a base URL like http://host:8080", "bench", "--profile", "quick", "--target-urls", "nohost");
        assertUsageError("give its --target-urls too", "bench", "--profile", "quick", "--uncached-urls",
                "http://a:1");
        assertUsageError("--jdbc-url, --sampling-rate and --max-staleness are for the local cluster", "bench",
                "--profile", "quick", "--jdbc-url", "jdbc:h2:mem:x", "--target-urls", "http://a:1");
        assertUsageError("--jdbc-url, --sampling-rate and --max-staleness are for the local cluster", "bench",
                "--profile", "quick", "--max-staleness", "100ms", "--target-urls", "http://a:1");
        for (String duration : List.of("0ms", "-1s", "soon", "500us", "1500us")) {
            assertUsageError("a duration above zero like 100ms or 1s", "bench", "--profile", "quick",
                    "--max-staleness", duration);
        }
        for (String share : List.of("-0.1", "1.5", "half")) {
            assertUsageError("a share of cache hits from 0 to 1", "bench", "--profile", "quick", "--sampling-rate",
                    share);
        }
    }

    @Test
    void benchAgainstADeploymentNeedsTheSecretItsNodesVerifyWith() {
        Result result = run(Map.of(), "bench", "--profile", "quick", "--target-urls", "http://127.0.0.1:1");
        assertThat(result.exitCode).isEqualTo(CachebusCli.USAGE);
        assertThat(result.err).contains("set CACHEBUS_JWT_SECRET");
    }

    @Test
    void optionsAreParsedIntoTheCommandsFields() {
        CommandLine line = CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()), System.err);
        CommandLine.ParseResult parsed = line.parseArgs("bench", "--profile", "full", "--rate=150",
                "--target-urls", "http://a:1, http://b:2", "--enforce-targets", "--output-dir", "out");
        CommandLine.ParseResult bench = parsed.subcommand();

        assertThat(bench.commandSpec().name()).isEqualTo("bench");
        assertThat(bench.<Double>matchedOptionValue("--rate", null)).isEqualTo(150.0);
        assertThat(bench.<List<java.net.URI>>matchedOptionValue("--target-urls", List.of()))
                .extracting(java.net.URI::toString).containsExactly("http://a:1", "http://b:2");
        assertThat(bench.<Boolean>matchedOptionValue("--enforce-targets", false)).isTrue();
        assertThat(CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()), System.err)
                .parseArgs("bench", "--profile", "quick", "--sampling-rate", "1").subcommand()
                .<Double>matchedOptionValue("--sampling-rate", null)).isEqualTo(1.0);
        assertThat(CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()), System.err)
                .parseArgs("bench", "--profile", "quick", "--max-staleness", "100ms").subcommand()
                .<java.time.Duration>matchedOptionValue("--max-staleness", null))
                .isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(bench.<Path>matchedOptionValue("--output-dir", null)).isEqualTo(Path.of("out"));
        assertThat(bench.<io.cachebus.loadtest.profile.Profile>matchedOptionValue("--profile", null).name())
                .isEqualTo("full");

        CommandLine.ParseResult demo = CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()),
                System.err).parseArgs("demo").subcommand();
        assertThat(demo.commandSpec().findOption("--output-dir").<Path>getValue()).isEqualTo(Path.of("target/bench"));
        assertThat(demo.commandSpec().findOption("--keep-running").<Boolean>getValue()).isFalse();
        assertThat(demo.commandSpec().findOption("--live-seconds").<Integer>getValue()).isEqualTo(20);
        assertThat(CachebusCli.commandLine(new CachebusCli.Console(System.out, Map.of()), System.err)
                .parseArgs("demo", "--live-seconds", "0").subcommand()
                .<Integer>matchedOptionValue("--live-seconds", null)).isZero();
    }

    @Test
    void tokenPrintsAJwtForTheTenantSignedWithTheSecretFromTheEnvironment() throws Exception {
        Result result = run(WITH_SECRET, "token", "--tenant", "acme", "--ttl", "120");

        assertThat(result.exitCode).isZero();
        SignedJWT jwt = SignedJWT.parse(result.out.strip());
        assertThat(jwt.verify(new MACVerifier(SECRET))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("acme");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(LocalTokens.ISSUER);
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .isBetween(Instant.now().plusSeconds(100), Instant.now().plusSeconds(121));
    }

    @Test
    void tokenTakesAnExplicitSecretOverTheEnvironmentAndTheLocalOneOnlyWhenAsked() throws Exception {
        String other = "an-explicit-secret-given-on-the-command-line";
        Result explicit = run(WITH_SECRET, "token", "--tenant", "acme", "--secret", other);
        assertThat(SignedJWT.parse(explicit.out.strip()).verify(new MACVerifier(other))).isTrue();

        Result local = run(Map.of(), "token", "--tenant", "acme", "--local");
        assertThat(SignedJWT.parse(local.out.strip()).verify(new MACVerifier(LocalTokens.LOCAL_PROFILE_SECRET)))
                .isTrue();
    }

    @Test
    void tokenRefusesWithTheReasonAndStatusTwo() {
        assertUsageError(WITH_SECRET, "Missing required option: '--tenant=ID'", "token", "--ttl", "10");
        assertUsageError(WITH_SECRET, "only ASCII letters", "token", "--tenant", "acme*");
        assertUsageError(Map.of(), "no secret", "token", "--tenant", "acme");
        assertUsageError(Map.of(BearerTokens.SECRET_ENVIRONMENT_VARIABLE, "short"), "at least 32", "token",
                "--tenant", "acme");
        assertUsageError(WITH_SECRET, "a number of seconds", "token", "--tenant", "acme", "--ttl", "soon");
        assertUsageError(WITH_SECRET, "at least 1 second", "token", "--tenant", "acme", "--ttl", "0");
        assertUsageError(WITH_SECRET, "Unknown option: '--admin'", "token", "--tenant", "acme", "--admin");
    }

    private static void assertUsageError(String reason, String... args) {
        assertUsageError(WITH_SECRET, reason, args);
    }

    private static void assertUsageError(Map<String, String> env, String reason, String... args) {
        Result result = run(env, args);
        assertThat(result.exitCode).as("exit status of %s", String.join(" ", args)).isEqualTo(CachebusCli.USAGE);
        assertThat(result.out).as("stdout of %s", String.join(" ", args)).isEmpty();
        assertThat(result.err).as("stderr of %s", String.join(" ", args)).contains(reason).contains("Usage: cachebus");
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CachebusCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err) {
    }
}
