package io.cachebus.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreIsolationTest {

    @Test
    void readsTheCpuListsTasksetAndTheKernelWrite() {
        assertThat(CoreIsolation.cpuIds("0-1")).containsExactly(0, 1);
        assertThat(CoreIsolation.cpuIds("0,2-4,7")).containsExactly(0, 2, 3, 4, 7);
        assertThat(CoreIsolation.cpuIds("3")).isEqualTo(List.of(3));
    }
}
