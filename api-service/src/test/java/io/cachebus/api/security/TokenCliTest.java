package io.cachebus.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** {@code ./cachebus token --tenant ID}: what it prints and when it refuses. */
class TokenCliTest {

    private static final String SECRET = "the-secret-a-local-cluster-was-started-with";

    @Test
    void printsATokenForTheTenantSignedWithTheSecretFromTheEnvironment() {
        Result result = run(Map.of(TokenCli.SECRET_ENV, SECRET), "--tenant", "acme", "--ttl", "120");

        assertThat(result.exitCode).isZero();
        Jwt jwt = NimbusJwtDecoder.withSecretKey(LocalTokens.secretKey(SECRET)).macAlgorithm(MacAlgorithm.HS256).build()
                .decode(result.out.strip());
        assertThat(jwt.getClaimAsString(Tenant.CLAIM)).isEqualTo("acme");
        assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plusSeconds(100), Instant.now().plusSeconds(121));
    }

    @Test
    void anExplicitSecretWinsOverTheEnvironment() throws Exception {
        String other = "an-explicit-secret-given-on-the-command-line";
        Result result = run(Map.of(TokenCli.SECRET_ENV, SECRET), "--tenant", "acme", "--secret", other);

        assertThat(SignedJWT.parse(result.out.strip()).verify(new com.nimbusds.jose.crypto.MACVerifier(other))).isTrue();
    }

    @Test
    void refusesWithAUsageMessageAndExitCode2() {
        assertRefused(Map.of(TokenCli.SECRET_ENV, SECRET), "--tenant is required", "--ttl", "10");
        assertRefused(Map.of(TokenCli.SECRET_ENV, SECRET), "only ASCII letters", "--tenant", "acme*");
        assertRefused(Map.of(), "no secret", "--tenant", "acme");
        assertRefused(Map.of(TokenCli.SECRET_ENV, "short"), "at least 32", "--tenant", "acme");
        assertRefused(Map.of(TokenCli.SECRET_ENV, SECRET), "number of seconds", "--tenant", "acme", "--ttl", "soon");
        assertRefused(Map.of(TokenCli.SECRET_ENV, SECRET), "unknown argument", "--tenant", "acme", "--admin");
    }

    @Test
    void mintedTokensExpire() {
        String token = LocalTokens.mint(SECRET, "acme", Duration.ofSeconds(1), "me");
        assertThat(NimbusJwtDecoder.withSecretKey(LocalTokens.secretKey(SECRET)).macAlgorithm(MacAlgorithm.HS256).build()
                .decode(token).getExpiresAt()).isBefore(Instant.now().plusSeconds(2));
    }

    private static void assertRefused(Map<String, String> env, String message, String... args) {
        Result result = run(env, args);
        assertThat(result.exitCode).as("exit code of %s", String.join(" ", args)).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err).contains(message).contains("usage:");
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TokenCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err) {
    }
}
