package io.cachebus.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.loadtest.measure.StaleReadChecker.Status;
import io.cachebus.loadtest.measure.StaleReadChecker.Verdict;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityRef;
import org.junit.jupiter.api.Test;

class StaleReadCheckerTest {

    private static final long MS = 1_000_000L;
    private static final long BOUND = 100 * MS;
    private static final EntityRef ENTITY = new EntityRef("tenant-a", Domain.WORKFLOWS, "42");

    private final WriteLedger ledger = new WriteLedger();

    private long nextWriteId;

    /** A write of the unique value {@code marker} sent at {@code sentMs} and acknowledged at {@code ackMs} (null: never). */
    private void write(long marker, long sentMs, Long ackMs) {
        write(ENTITY, marker, sentMs, ackMs);
    }

    private void write(EntityRef entity, long value, long sentMs, Long ackMs) {
        long id = nextWriteId++;
        ledger.sent(entity, id, value, sentMs * MS);
        if (ackMs != null) {
            ledger.acknowledged(entity, id, ackMs * MS);
        }
    }

    /** A read of {@code value} that began at {@code startMs} and answered 1 ms later. */
    private Verdict read(long value, long startMs) {
        return read(ENTITY, value, startMs);
    }

    private Verdict read(EntityRef entity, long value, long startMs) {
        return StaleReadChecker.judge(ledger.history(entity), value, startMs * MS, (startMs + 1) * MS, BOUND);
    }

    @Test
    void theLatestAcknowledgedDataIsCurrent() {
        write(0, 0, 1L);
        write(1, 10, 12L);
        assertThat(read(1, 1_000).status()).isEqualTo(Status.CURRENT);
    }

    @Test
    void dataSupersededLongerThanTheBoundBeforeTheReadIsStale() {
        write(0, 0, 1L);
        write(1, 10, 12L);
        Verdict verdict = read(0, 500);
        assertThat(verdict.status()).isEqualTo(Status.STALE);
        assertThat(verdict.stalenessNanos()).isEqualTo(488 * MS);
    }

    @Test
    void theBoundIsExclusive() {
        write(0, 0, 1L);
        write(1, 10, 12L);
        assertThat(read(0, 112).status()).isEqualTo(Status.SUPERSEDED_WITHIN_BOUND);
        assertThat(read(0, 112).stalenessNanos()).isEqualTo(BOUND);
        Verdict justBeyond = StaleReadChecker.judge(ledger.history(ENTITY), 0, 112 * MS + 1, 113 * MS, BOUND);
        assertThat(justBeyond.status()).isEqualTo(Status.STALE);
    }

    @Test
    void oldDataIsAllowedWhileTheNewWriteIsUnacknowledgedOrAcknowledgedAfterTheReadBegan() {
        write(0, 0, 1L);
        write(1, 10, 300L);
        assertThat(read(0, 200).status()).isEqualTo(Status.CURRENT);
        assertThat(read(0, 300).status()).isEqualTo(Status.CURRENT);
        assertThat(read(0, 301).status()).isEqualTo(Status.SUPERSEDED_WITHIN_BOUND);
    }

    @Test
    void aWriteThatWasNeverAcknowledgedSupersedesNothing() {
        write(0, 0, 1L);
        write(1, 10, null);
        assertThat(read(0, 10_000).status()).isEqualTo(Status.CURRENT);
    }

    @Test
    void showingAnUnacknowledgedWriteIsNeverStale() {
        write(0, 0, 1L);
        write(1, 10, null);
        write(2, 20, 25L);
        // write 1 may have committed after write 2: nothing certainly supersedes it
        assertThat(read(1, 10_000).status()).isEqualTo(Status.CURRENT);
    }

    @Test
    void eitherOfTwoOverlappingWritesIsCurrentForever() {
        write(0, 0, 1L);
        write(1, 10, 30L);
        write(2, 20, 40L);
        // 1 and 2 overlapped, so the database may hold either
        assertThat(read(1, 10_000).status()).isEqualTo(Status.CURRENT);
        assertThat(read(2, 10_000).status()).isEqualTo(Status.CURRENT);
        assertThat(read(0, 10_000).status()).isEqualTo(Status.STALE);
    }

    @Test
    void theEarliestCertainlyNewerWriteSetsTheStaleness() {
        write(0, 0, 1L);
        write(1, 10, 50L);
        write(2, 60, 70L);
        write(3, 20, 80L);
        // writes 1, 2 and 3 were all sent after write 0 was acknowledged; write 1 was acknowledged first
        Verdict verdict = read(0, 200);
        assertThat(verdict.status()).isEqualTo(Status.STALE);
        assertThat(verdict.stalenessNanos()).isEqualTo(150 * MS);
        // write 3 overlapped write 1, but write 2 was sent after write 1 was acknowledged, and acknowledged at 70
        assertThat(read(1, 170).status()).isEqualTo(Status.SUPERSEDED_WITHIN_BOUND);
        assertThat(read(1, 171).status()).isEqualTo(Status.STALE);
        // nothing was sent after write 3 was acknowledged
        assertThat(read(3, 10_000).status()).isEqualTo(Status.CURRENT);
    }

    @Test
    void aMarkerNeverWrittenToTheEntityIsReportedAsUnknown() {
        write(0, 0, 1L);
        assertThat(read(7, 10).status()).isEqualTo(Status.UNKNOWN_MARKER);
        assertThat(read(new EntityRef("tenant-b", Domain.WORKFLOWS, "42"), 0, 10).status())
                .isEqualTo(Status.UNKNOWN_MARKER);
    }

    @Test
    void aZeroBoundMakesEverySupersededReadStale() {
        write(0, 0, 1L);
        write(1, 10, 12L);
        assertThat(StaleReadChecker.judge(ledger.history(ENTITY), 0, 12 * MS + 1, 13 * MS, 0).status())
                .isEqualTo(Status.STALE);
    }

    @Test
    void aValueWrittenOnlyAfterTheReadAnsweredCannotExplainIt() {
        write(0, 0, 1L);
        write(5, 600, 601L);
        assertThat(read(5, 500).status()).isEqualTo(Status.UNKNOWN_MARKER);
        assertThat(read(5, 700).status()).isEqualTo(Status.CURRENT);
    }

    private static final EntityRef NOTIFICATION = new EntityRef("tenant-a", Domain.NOTIFICATIONS, "9");
    private static final long UNREAD = 0;
    private static final long READ = 1;

    @Test
    void aRepeatedValueIsJudgedByItsNewestWrite() {
        write(NOTIFICATION, UNREAD, 0, 1L);   // created unread
        write(NOTIFICATION, READ, 10, 12L);
        write(NOTIFICATION, UNREAD, 20, 22L);
        write(NOTIFICATION, READ, 30, 32L);

        // "read" may be the write acknowledged at 32, which nothing superseded
        assertThat(read(NOTIFICATION, READ, 10_000).status()).isEqualTo(Status.CURRENT);
        // "unread" is at best the write acknowledged at 22, superseded by the one acknowledged at 32
        assertThat(read(NOTIFICATION, UNREAD, 132).status()).isEqualTo(Status.SUPERSEDED_WITHIN_BOUND);
        Verdict stale = read(NOTIFICATION, UNREAD, 500);
        assertThat(stale.status()).isEqualTo(Status.STALE);
        assertThat(stale.stalenessNanos()).isEqualTo(468 * MS);
    }

    @Test
    void anUnacknowledgedWriteOfTheShownValueMakesTheReadCurrent() {
        write(NOTIFICATION, UNREAD, 0, 1L);
        write(NOTIFICATION, READ, 10, 12L);
        write(NOTIFICATION, UNREAD, 20, null);   // timed out: it may have committed at any time
        write(NOTIFICATION, READ, 30, 32L);
        assertThat(read(NOTIFICATION, UNREAD, 10_000).status()).isEqualTo(Status.CURRENT);
    }

    @Test
    void judgesAllObservedReadsAndKeepsExamples() {
        write(0, 0, 1L);
        write(1, 10, 12L);
        StaleReadChecker checker = new StaleReadChecker(100);
        checker.observe(ENTITY, 1, 500 * MS, 501 * MS);
        checker.observe(ENTITY, 0, 50 * MS, 51 * MS);
        checker.observe(ENTITY, 0, 500 * MS, 501 * MS);
        checker.observe(ENTITY, 0, 612 * MS, 613 * MS);
        checker.observe(ENTITY, 99, 500 * MS, 501 * MS);

        StaleReadChecker.Summary summary = checker.judgeAll(ledger);

        assertThat(summary.checked()).isEqualTo(5);
        assertThat(summary.current()).isEqualTo(1);
        assertThat(summary.supersededWithinBound()).isEqualTo(1);
        assertThat(summary.staleBeyondBound()).isEqualTo(2);
        assertThat(summary.unknownMarker()).isEqualTo(1);
        assertThat(summary.maxStalenessMsBeyondBound()).isEqualTo(600.0);
        assertThat(summary.examples()).extracting(StaleReadChecker.StaleExample::stalenessMs)
                .containsExactly(488.0, 600.0);
        assertThat(summary.staleBeyond(500)).as("against a longer bound, the nodes' own, say").isEqualTo(1);
        assertThat(summary.staleBeyond(100)).isEqualTo(summary.staleBeyondBound());
        assertThat(summary.staleBeyond(30)).as("a shorter one counts the reads within this one too").isEqualTo(3);
    }
}
