package io.cachebus.api.security;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Prints a local HS256 bearer token: {@code TokenCli --tenant ID [--ttl SECONDS] [--subject NAME]
 * [--secret S | --local]}. The secret is {@code --secret}, else the environment variable
 * {@code CACHEBUS_JWT_SECRET}, else (only with {@code --local}) the {@code local} profile's development secret,
 * so the token verifies on a node started with the same setting. {@code ./cachebus token} calls this.
 */
public final class TokenCli {

    static final String SECRET_ENV = "CACHEBUS_JWT_SECRET";
    static final String USAGE = "usage: token --tenant ID [--ttl SECONDS (default 3600)] [--subject NAME]"
            + " [--secret SECRET | --local]   (secret defaults to $" + SECRET_ENV + ")";

    private TokenCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            out.println(token(args, env));
            return 0;
        } catch (IllegalArgumentException | JwtKeyConfigurationException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    /** What {@link #main} prints, for the given arguments and environment; refusals are IllegalArgumentExceptions. */
    public static String token(String[] args, Map<String, String> env) {
        String tenant = null;
        String subject = "cachebus-cli";
        String secret = null;
        boolean local = false;
        long ttlSeconds = 3600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tenant" -> tenant = value(args, ++i, "--tenant");
                case "--subject" -> subject = value(args, ++i, "--subject");
                case "--secret" -> secret = value(args, ++i, "--secret");
                case "--local" -> local = true;
                case "--ttl" -> ttlSeconds = seconds(value(args, ++i, "--ttl"));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (tenant == null) {
            throw new IllegalArgumentException("--tenant is required");
        }
        if (secret == null) {
            secret = env.get(SECRET_ENV);
        }
        if ((secret == null || secret.isBlank()) && local) {
            secret = LocalTokens.LOCAL_PROFILE_SECRET;
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no secret: pass --secret, set " + SECRET_ENV
                    + ", or pass --local for a node running the local profile");
        }
        return LocalTokens.mint(secret, tenant, Duration.ofSeconds(ttlSeconds), subject);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static long seconds(String text) {
        try {
            long seconds = Long.parseLong(text);
            if (seconds < 1) {
                throw new IllegalArgumentException("--ttl must be at least 1 second");
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ttl must be a number of seconds, got " + text);
        }
    }
}
