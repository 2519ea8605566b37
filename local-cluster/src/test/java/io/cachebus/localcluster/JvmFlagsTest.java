package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The separate-process topology's services start as the container images do; only the drill JVMs skip C2. */
class JvmFlagsTest {

    private static final Pattern JIB_FLAG = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>");
    private static final Pattern COMPOSE_MEMORY_LIMIT = Pattern.compile("(?m)^\\s*mem_limit:\\s*(\\d+)m\\s*$");

    @Test
    void imageFlagsAreTheJibFlagsOfTheParentPom() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        List<String> jibFlags = new ArrayList<>();
        Matcher matcher = JIB_FLAG.matcher(pom);
        while (matcher.find()) {
            jibFlags.add(matcher.group(1).strip());
        }

        assertThat(jibFlags).isNotEmpty();
        assertThat(JvmFlags.IMAGE.flags()).containsAll(jibFlags);
    }

    @Test
    void imageFlagsTakeTheComposeMemoryLimitForTheContainers() throws Exception {
        Matcher limit = COMPOSE_MEMORY_LIMIT.matcher(Files.readString(Path.of("..", "docker-compose.yml")));

        assertThat(limit.find()).as("a mem_limit in docker-compose.yml").isTrue();
        assertThat(JvmFlags.IMAGE.flags()).contains("-XX:MaxRAM=" + limit.group(1) + "m");
    }

    @Test
    void onlyTheDrillJvmsStopAtTheQuickCompiler() {
        assertThat(JvmFlags.DRILL.flags()).contains("-XX:TieredStopAtLevel=1");
        assertThat(JvmFlags.IMAGE.flags()).noneMatch(flag -> flag.startsWith("-XX:TieredStopAtLevel"));
        assertThat(JvmFlags.KAFKA.flags()).noneMatch(flag -> flag.startsWith("-XX:TieredStopAtLevel"));
    }
}
