package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InvalidateOnWriteCeilingTest {

    private static final EntityRef WORKFLOW = new EntityRef("tenant-a", Domain.WORKFLOWS, "1");
    private static final EntityRef OTHER_WORKFLOW = new EntityRef("tenant-a", Domain.WORKFLOWS, "2");
    private static final EntityRef NOTIFICATION = new EntityRef("tenant-a", Domain.NOTIFICATIONS, "7");
    private static final EntityRef OTHER_NOTIFICATION = new EntityRef("tenant-a", Domain.NOTIFICATIONS, "8");
    private static final EntityRef OTHER_TENANTS_NOTIFICATION = new EntityRef("tenant-b", Domain.NOTIFICATIONS, "9");

    private final InvalidateOnWriteCeiling ceiling = new InvalidateOnWriteCeiling();

    @BeforeEach
    void count() {
        ceiling.counting(true);
    }

    @Test
    void everyEntryStartsCachedAndOnlyTheFirstReadAfterAWriteMisses() {
        ceiling.read(WORKFLOW, false);
        ceiling.write(WORKFLOW);
        ceiling.read(WORKFLOW, false);
        ceiling.read(WORKFLOW, false);
        ceiling.write(WORKFLOW);
        ceiling.write(WORKFLOW);
        ceiling.read(WORKFLOW, false);

        assertThat(ceiling.reads()).isEqualTo(4);
        assertThat(ceiling.misses()).as("two writes before one read cost one miss").isEqualTo(2);
        assertThat(ceiling.hitRatio()).hasValue(0.5);
    }

    @Test
    void aWorkflowsWriteDropsItsOwnStepsAndNoOtherWorkflowsEntries() {
        ceiling.write(WORKFLOW);
        ceiling.read(OTHER_WORKFLOW, false);
        ceiling.read(OTHER_WORKFLOW, true);
        ceiling.read(WORKFLOW, true);

        assertThat(ceiling.misses()).isEqualTo(1);
    }

    @Test
    void aNotificationsWriteDropsItsTenantsUnreadCountButNotAnotherTenants() {
        ceiling.write(NOTIFICATION);
        ceiling.read(OTHER_NOTIFICATION, true);
        ceiling.read(NOTIFICATION, true);
        ceiling.read(OTHER_TENANTS_NOTIFICATION, true);
        ceiling.read(OTHER_NOTIFICATION, false);

        assertThat(ceiling.misses()).as("the unread count once, through either notification").isEqualTo(1);
    }

    @Test
    void readsOutsideTheCountedWindowsAreNotCountedButStillRefillWhatTheyRead() {
        ceiling.counting(false);
        ceiling.write(WORKFLOW);
        ceiling.write(OTHER_WORKFLOW);
        ceiling.read(WORKFLOW, false);
        ceiling.counting(true);
        ceiling.read(WORKFLOW, false);
        ceiling.read(OTHER_WORKFLOW, false);

        assertThat(ceiling.reads()).isEqualTo(2);
        assertThat(ceiling.misses()).as("dropped before the window and not read since").isEqualTo(1);
    }

    @Test
    void theProbesReadOfAWriteRefillsItWithoutBeingCounted() {
        ceiling.write(WORKFLOW);
        ceiling.readByProbe(WORKFLOW);
        ceiling.read(WORKFLOW, false);
        ceiling.read(WORKFLOW, true);

        assertThat(ceiling.reads()).isEqualTo(2);
        assertThat(ceiling.misses()).as("the probe reads the workflow, not its steps").isEqualTo(1);
    }

    @Test
    void noReadCountedHasNoRatio() {
        ceiling.counting(false);
        ceiling.read(WORKFLOW, false);

        assertThat(ceiling.hitRatio()).isEmpty();
    }
}
