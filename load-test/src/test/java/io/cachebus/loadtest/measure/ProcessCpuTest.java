package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void userAndSystemTicksAreFieldsFourteenAndFifteenCountedAfterTheCommandName() {
        // a command name with spaces and a parenthesis, as a thread may rename itself
        String line = "4242 (java (lt) x) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1234 567 0 0 20 0 40 0 "
                + "1000 6000000000 120000 18446744073709551615";

        assertThat(ProcessCpu.secondsOf(line)).isEqualTo((1234 + 567) / 100.0);
    }

    @Test
    void aLineWithoutItsFieldsIsRefused() {
        assertThatThrownBy(() -> ProcessCpu.secondsOf("4242 (java) S 1 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.secondsOf("no command")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisProcessHasUsedSomeCpuAndAMissingOneNone() {
        assertThat(ProcessCpu.seconds(ProcessHandle.current().pid()).orElseThrow()).isPositive();
        assertThat(ProcessCpu.seconds(Long.MAX_VALUE)).isEmpty();
    }
}
