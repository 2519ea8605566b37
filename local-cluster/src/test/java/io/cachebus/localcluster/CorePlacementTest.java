package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorePlacementTest {

    @Test
    void parsesProcessCpuPairsSeparatedByCommasOrSemicolons() {
        assertThat(CorePlacement.parse("load-generator=0,api-1=1,kafka=0-1").cpus())
                .isEqualTo(Map.of("load-generator", "0", "api-1", "1", "kafka", "0-1"));
        assertThat(CorePlacement.parse("api-1=0,1;redis=1").cpus()).isEqualTo(Map.of("api-1", "0,1", "redis", "1"));
    }

    @Test
    void aPinnedProcessStartsUnderTasksetAnotherAsItIs() {
        CorePlacement placement = CorePlacement.loadGeneratorAndNodeUnderTest();

        assertThat(placement.commandPrefix("api-1")).isEqualTo(List.of("taskset", "-c", "1"));
        assertThat(placement.commandPrefix("api-2")).as("every CPU").isEqualTo(CorePlacement.everyCpu());
        assertThat(placement.cpusOf(CorePlacement.LOAD_GENERATOR)).contains("0");
    }

    @Test
    void othersPinsEveryProcessNotNamedButNeverTheLoadGenerator() {
        CorePlacement placement = CorePlacement.parse("api-1=1,others=0");

        assertThat(placement.commandPrefix("api-1")).isEqualTo(List.of("taskset", "-c", "1"));
        assertThat(placement.commandPrefix("kafka")).isEqualTo(List.of("taskset", "-c", "0"));
        assertThat(placement.commandPrefix("invalidator-1")).isEqualTo(List.of("taskset", "-c", "0"));
        assertThat(placement.cpusOf(CorePlacement.LOAD_GENERATOR)).isEmpty();
    }

    @Test
    void aChildMayRunOnEveryOnlineCpuWhateverItsParentMay() throws Exception {
        String online = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online")).strip();

        assertThat(CorePlacement.everyCpu()).isEqualTo(List.of("taskset", "-c", online));
        assertThat(new ChildJvm("x", JvmFlags.DRILL, "Main", List.of(), Map.of()).command())
                .startsWith("taskset", "-c", online);
    }

    @Test
    void refusesWhatTasksetCouldNotTake() {
        assertThatThrownBy(() -> CorePlacement.parse("api-1=one")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CorePlacement.parse("api-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CorePlacement.parse("api-1=1;rm -rf=0")).isInstanceOf(IllegalArgumentException.class);
    }
}
