package io.cachebus.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadThroughputPhaseTest {

    @Test
    void workflowsAreTakenInTurnFromEachTenant() {
        List<EntityRef> byPopularity = List.of(new EntityRef("a", Domain.WORKFLOWS, "1"),
                new EntityRef("a", Domain.WORKFLOWS, "2"), new EntityRef("a", Domain.NOTIFICATIONS, "3"),
                new EntityRef("b", Domain.WORKFLOWS, "4"), new EntityRef("a", Domain.WORKFLOWS, "5"));

        assertThat(ReadThroughputPhase.evenlyOverTenants(byPopularity, 3)).extracting(EntityRef::id)
                .containsExactly("1", "4", "2");
        assertThat(ReadThroughputPhase.evenlyOverTenants(byPopularity, 10)).extracting(EntityRef::id)
                .containsExactly("1", "4", "2", "5");
    }
}
