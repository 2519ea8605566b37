package io.cachebus.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ReferenceApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aWorkflowShowsTheMarkerInItsDescription() {
        assertThat(ReferenceApi.valueOf(Domain.WORKFLOWS,
                JSON.readTree("{\"id\":1,\"name\":\"w\",\"description\":\"lt-42\"}"))).isEqualTo(42);
        assertThat(ReferenceApi.valueOf(Domain.WORKFLOWS, JSON.readTree("{\"id\":1,\"description\":null}")))
                .isEqualTo(Marker.NONE);
        assertThat(ReferenceApi.valueOf(Domain.WORKFLOWS, JSON.readTree("{\"id\":1,\"description\":\"typed by a user\"}")))
                .isEqualTo(Marker.NONE);
    }

    @Test
    void aNotificationShowsWhetherItIsRead() {
        assertThat(ReferenceApi.valueOf(Domain.NOTIFICATIONS, JSON.readTree("{\"id\":1,\"read\":true}"))).isEqualTo(1);
        assertThat(ReferenceApi.valueOf(Domain.NOTIFICATIONS, JSON.readTree("{\"id\":1,\"read\":false}"))).isEqualTo(0);
        assertThat(ReferenceApi.valueOf(Domain.NOTIFICATIONS, JSON.readTree("{\"id\":1}"))).isEqualTo(Marker.NONE);
    }

    @Test
    void workflowValuesNameTheWriteAndNotificationValuesToggle() {
        assertThat(Domain.WORKFLOWS.nextValue(17, 3)).isEqualTo(17);
        assertThat(Domain.NOTIFICATIONS.nextValue(17, 0)).isEqualTo(1);
        assertThat(Domain.NOTIFICATIONS.nextValue(18, 1)).isEqualTo(0);
        assertThat(Domain.WORKFLOWS.uniqueValues()).isTrue();
        assertThat(Domain.NOTIFICATIONS.uniqueValues()).isFalse();
    }
}
