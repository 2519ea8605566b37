package io.cachebus.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadMixTest {

    private static EntityCatalog catalog(int tenants, int perDomain) {
        List<EntityRef> entities = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            for (Domain domain : Domain.values()) {
                for (int i = 0; i < perDomain; i++) {
                    entities.add(new EntityRef("tenant-" + t, domain, domain.name() + "-" + i));
                }
            }
        }
        return EntityCatalog.shuffled(entities, 11);
    }

    @Test
    void honoursTheReadRatioTheDerivedShareAndSpreadsOverNodes() {
        WorkloadMix mix = new WorkloadMix(catalog(10, 10), 1.0, 0.8, 0.25, 3, 5);
        Map<RequestKind, Integer> kinds = new EnumMap<>(RequestKind.class);
        int[] nodes = new int[3];
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            WorkloadMix.PlannedRequest request = mix.next();
            kinds.merge(request.kind(), 1, Integer::sum);
            nodes[request.node()]++;
        }
        assertThat(kinds.get(RequestKind.WRITE) / (double) draws).isCloseTo(0.2, within(0.01));
        assertThat(kinds.get(RequestKind.READ_DERIVED) / (double) draws).isCloseTo(0.8 * 0.25, within(0.01));
        for (int count : nodes) {
            assertThat(count / (double) draws).isCloseTo(1 / 3.0, within(0.01));
        }
    }

    @Test
    void theHottestEntitiesAreSpreadOverTenantsAndDomains() {
        EntityCatalog catalog = catalog(20, 10);
        assertThat(catalog.hottest(20).stream().map(EntityRef::tenant).distinct().count()).isGreaterThan(5);
        assertThat(catalog.hottest(20).stream().map(EntityRef::domain).distinct().count()).isEqualTo(2);
    }

    @Test
    void markersRoundTripAndForeignTextIsNoMarker() {
        assertThat(Marker.parse(Marker.format(123_456_789L))).isEqualTo(123_456_789L);
        assertThat(Marker.parse(Marker.format(Marker.INITIAL))).isEqualTo(Marker.INITIAL);
        assertThat(Marker.parse("some description")).isEqualTo(Marker.NONE);
        assertThat(Marker.parse("lt-")).isEqualTo(Marker.NONE);
        assertThat(Marker.parse("lt-12x")).isEqualTo(Marker.NONE);
        assertThat(Marker.parse(null)).isEqualTo(Marker.NONE);
    }
}
