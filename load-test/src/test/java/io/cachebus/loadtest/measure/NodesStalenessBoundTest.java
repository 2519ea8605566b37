package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodesStalenessBoundTest {

    private static String health(String cachebusDetails) {
        return """
                {"status":"UP","components":{"db":{"status":"UP"},"cachebus":{"status":"UP","details":{%s}}}}"""
                .formatted(cachebusDetails);
    }

    @Test
    void theLargestBoundOfTheNodesIsTheOneTheyPromiseTogether() {
        NodesStalenessBound bound = NodesStalenessBound.fromHealth(List.of(
                health("\"stalenessBound\":\"within\",\"maxStalenessMs\":1000,\"lagMs\":12"),
                health("\"stalenessBound\":\"behind, reading through\",\"maxStalenessMs\":1500,\"lagMs\":\"unknown\"")));

        assertThat(bound.maxStalenessMs()).isEqualTo(1500);
        assertThat(bound.unknownBecause()).isNull();
    }

    @Test
    void aNodeThatEnforcesNoBoundOrHidesItsDetailsLeavesItUnknown() {
        assertThat(NodesStalenessBound.fromHealth(List.of(health("\"maxStalenessMs\":1000"),
                health("\"stalenessBound\":\"not enforced\""))).unknownBecause())
                .isEqualTo("node 2 enforces no staleness bound");
        assertThat(NodesStalenessBound.fromHealth(List.of("{\"status\":\"UP\"}")).unknownBecause())
                .contains("node 1's health shows no cachebus maxStalenessMs");
        assertThat(NodesStalenessBound.fromHealth(List.of("<html>")).maxStalenessMs()).isNull();
        assertThat(NodesStalenessBound.fromHealth(List.of()).unknownBecause()).isEqualTo("no API node");
    }
}
