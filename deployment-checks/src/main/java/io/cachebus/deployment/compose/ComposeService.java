package io.cachebus.deployment.compose;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service of a compose file, with the keys the checks look at.
 *
 * @param healthcheck the {@code healthcheck.test} list (e.g. {@code CMD, java, ..., URL}); empty when there is none
 * @param command     the arguments given to the image's entry point; empty when there are none
 * @param stopGracePeriod how long compose waits after SIGTERM before SIGKILL ({@code stop_grace_period}, e.g.
 *                    {@code 45s}); null when the file leaves compose's default of 10s
 */
public record ComposeService(String name, String image, Map<String, String> environment, List<String> expose,
        List<String> ports, List<String> healthcheck, List<String> dependsOn, List<String> volumes,
        List<String> profiles, List<String> command, String stopGracePeriod) {

    private static final Pattern PROJECT_IMAGE = Pattern.compile("cachebus/([a-z0-9-]+):(.+)");
    private static final Pattern LOOPBACK_URL = Pattern.compile("http://(?:127\\.0\\.0\\.1|localhost):(\\d+)(/\\S*)");

    /** The module whose Jib image this service runs ({@code cachebus/api-service:...} is {@code api-service}). */
    public Optional<String> projectModule() {
        return imageMatch().map(matcher -> matcher.group(1));
    }

    public Optional<String> projectImageTag() {
        return imageMatch().map(matcher -> matcher.group(2));
    }

    /** The port of the URL the health check probes on the container itself, if it probes one. */
    public Optional<Integer> healthcheckPort() {
        return healthcheckUrl().map(matcher -> Integer.parseInt(matcher.group(1)));
    }

    public Optional<String> healthcheckPath() {
        return healthcheckUrl().map(matcher -> matcher.group(2));
    }

    private Optional<Matcher> healthcheckUrl() {
        for (String part : healthcheck) {
            Matcher matcher = LOOPBACK_URL.matcher(part);
            if (matcher.find()) {
                return Optional.of(matcher);
            }
        }
        return Optional.empty();
    }

    private Optional<Matcher> imageMatch() {
        if (image == null) {
            return Optional.empty();
        }
        Matcher matcher = PROJECT_IMAGE.matcher(image);
        return matcher.matches() ? Optional.of(matcher) : Optional.empty();
    }
}
