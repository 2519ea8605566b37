package io.cachebus.loadtest;

import io.cachebus.api.security.JwtKeyConfigurationException;
import io.cachebus.api.security.LocalTokens;
import io.cachebus.loadtest.deployment.BearerTokens;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code cachebus token}: prints an HS256 bearer token that API nodes verifying with the same secret accept. */
@Command(name = "token", sortOptions = false, description = {"Print an HS256 bearer token for a tenant, signed with --secret, else $"
        + BearerTokens.SECRET_ENVIRONMENT_VARIABLE + ", else (with --local) the local profile's public development"
        + " secret. Issuer, audience, expiry and the write scope are those API nodes require by default."})
final class TokenCommand implements Callable<Integer> {

    private final CachebusCli.Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private CachebusCli.HelpOption help;

    @Option(names = "--tenant", paramLabel = "ID", required = true, description = "The tenant the token is for.")
    private String tenant;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "3600", converter = Seconds.class,
            description = "How long the token is valid (default: ${DEFAULT-VALUE}).")
    private Duration ttl;

    @Option(names = "--subject", paramLabel = "NAME", defaultValue = "cachebus-cli",
            description = "The token's subject (default: ${DEFAULT-VALUE}).")
    private String subject;

    @Option(names = "--secret", paramLabel = "SECRET", description = "The shared secret (at least "
            + LocalTokens.MIN_SECRET_BYTES + " bytes); wins over $" + BearerTokens.SECRET_ENVIRONMENT_VARIABLE + ".")
    private String secret;

    @Option(names = "--local", description = "Without a secret, sign with the development secret of API nodes"
            + " running the local profile.")
    private boolean local;

    TokenCommand(CachebusCli.Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        try {
            console.out().println(LocalTokens.mint(secret(), tenant, ttl, subject));
            return CachebusCli.OK;
        } catch (IllegalArgumentException | JwtKeyConfigurationException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private String secret() {
        if (present(secret)) {
            return secret;
        }
        String fromEnvironment = console.env().get(BearerTokens.SECRET_ENVIRONMENT_VARIABLE);
        if (present(fromEnvironment)) {
            return fromEnvironment;
        }
        if (local) {
            return LocalTokens.LOCAL_PROFILE_SECRET;
        }
        throw new ParameterException(spec.commandLine(), "no secret: pass --secret, set "
                + BearerTokens.SECRET_ENVIRONMENT_VARIABLE + ", or pass --local for a node running the local profile");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            long seconds;
            try {
                seconds = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("a number of seconds, not '" + text + "'");
            }
            if (seconds < 1) {
                throw new TypeConversionException("at least 1 second, not " + text);
            }
            return Duration.ofSeconds(seconds);
        }
    }
}
