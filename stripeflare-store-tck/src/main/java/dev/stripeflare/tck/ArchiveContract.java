package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ArchiveReport;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.TokenHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.stripeflare.spi.UserStore#archiveBefore}: older entries go to the sink and become
 * one opening balance, balance == Σ ledger still holds, a failing sink changes nothing, and a
 * roll-up racing charges loses or duplicates no entry (ADR 30).
 */
abstract class ArchiveContract extends StoreContractSupport {

    /** Collects what the store archives, once per roll-up (a rerun after a conflict replaces the offer). */
    static final class Sink implements dev.stripeflare.LedgerArchive {
        final Map<Long, List<List<LedgerEntry>>> offers = new ConcurrentHashMap<>();

        @Override
        public void accept(long userId, List<LedgerEntry> archived) {
            List<List<LedgerEntry>> list = offers.computeIfAbsent(userId, u -> new ArrayList<>());
            synchronized (list) {
                if (!list.isEmpty() && list.get(list.size() - 1).get(0).equals(archived.get(0))) {
                    list.remove(list.size() - 1);
                }
                list.add(List.copyOf(archived));
            }
        }

        List<LedgerEntry> all(long userId) {
            List<LedgerEntry> all = new ArrayList<>();
            offers.getOrDefault(userId, List.of()).forEach(all::addAll);
            return all;
        }
    }

    private static Debit debitAt(String token, long cents, long second) {
        return new Debit(TokenHashes.of(token), cents, false, null, "c" + second, T0.plusSeconds(second));
    }

    @Test
    void olderEntriesBecomeOneOpeningBalanceAndGoToTheSink() {
        long alice = register("alice", 1_000);
        charge(debitAt("alice", 100, 1));
        charge(debitAt("alice", 200, 2));
        charge(debitAt("alice", 300, 3));
        List<LedgerEntry> before = ledgerOf(alice);
        Sink sink = new Sink();

        ArchiveReport report = store.archiveBefore(T0.plusSeconds(3), sink);

        assertThat(report).isEqualTo(new ArchiveReport(1, 3));
        assertThat(sink.all(alice)).isEqualTo(before.subList(0, 3));
        List<LedgerEntry> after = ledgerOf(alice);
        assertThat(after).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.OPENING_BALANCE, LedgerEntryKind.CHARGE);
        assertThat(after.get(0).amountCents()).isEqualTo(700);
        assertThat(after.get(0).balanceAfterCents()).isEqualTo(700);
        assertThat(after.get(0).operationId()).isNull();
        assertThat(after.get(0).at()).isEqualTo(T0.plusSeconds(2));
        assertThat(after.get(1)).isEqualTo(before.get(3));
        assertThat(balanceOf(alice)).isEqualTo(400);
        assertLedgerConsistent(alice);
    }

    @Test
    void archivingAgainBeforeTheSameTimeDoesNothing() {
        long alice = register("alice", 1_000);
        charge(debitAt("alice", 100, 1));
        store.archiveBefore(T0.plusSeconds(5), new Sink());
        AccountState rolled = stateOf(alice);

        assertThat(store.archiveBefore(T0.plusSeconds(5), new Sink())).isEqualTo(new ArchiveReport(0, 0));
        assertThat(stateOf(alice)).isEqualTo(rolled);
    }

    @Test
    void aLaterArchiveRollsTheOpeningBalanceUpWithTheEntriesAfterIt() {
        long alice = register("alice", 1_000);
        charge(debitAt("alice", 100, 1));
        store.archiveBefore(T0.plusSeconds(2), new Sink());
        charge(debitAt("alice", 50, 3));
        Sink sink = new Sink();

        store.archiveBefore(T0.plusSeconds(4), sink);

        assertThat(sink.all(alice)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.OPENING_BALANCE, LedgerEntryKind.CHARGE);
        assertThat(ledgerOf(alice)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(LedgerEntryKind.OPENING_BALANCE);
            assertThat(e.amountCents()).isEqualTo(850);
        });
        assertLedgerConsistent(alice);
    }

    @Test
    void entriesSummingToZeroLeaveNoOpeningEntry() {
        long alice = register("alice", 100);
        charge(debitAt("alice", 100, 1));

        store.archiveBefore(T0.plusSeconds(2), new Sink());

        assertThat(ledgerOf(alice)).isEmpty();
        assertThat(balanceOf(alice)).isZero();
        charge(StoreFixtures.overdraft("alice", 5));
        assertLedgerConsistent(alice);
    }

    @Test
    void aFailingSinkLeavesThatAccountAsItWasAndItsErrorPropagates() {
        long alice = register("alice", 1_000);
        charge(debitAt("alice", 100, 1));
        AccountState before = stateOf(alice);
        IllegalStateException failure = new IllegalStateException("archive disk full");

        assertThatThrownBy(() -> store.archiveBefore(T0.plusSeconds(5), (userId, entries) -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void nothingBeforeTheCutOffArchivesNothing() {
        long alice = register("alice", 1_000);
        AccountState before = stateOf(alice);

        assertThat(store.archiveBefore(T0, new Sink())).isEqualTo(new ArchiveReport(0, 0));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    /**
     * 8 threads: 6 charge two accounts while 2 roll their ledgers up at moving cut-offs. In the
     * end the archived entries followed by the ledger (without opening balances) hold each
     * successful charge exactly once, and each balance equals its ledger.
     */
    @Test
    void archivingRacingChargesLosesAndDuplicatesNoEntry() {
        long alice = register("alice", 1_000_000);
        long bob = register("bob", 1_000_000);
        AtomicLong clock = new AtomicLong(10);
        Sink sink = new Sink();
        List<Integer> charged = ConcurrentRun.race(8, Duration.ofMinutes(2), thread -> {
            int n = 0;
            for (int i = 0; i < 80; i++) {
                if (thread >= 6) {
                    if (i % 4 == 0) {
                        store.archiveBefore(T0.plusSeconds(clock.get() - 3), sink);
                    }
                    continue;
                }
                String token = thread % 2 == 0 ? "alice" : "bob";
                if (charge(debitAt(token, 1, clock.incrementAndGet())).outcome() == ChargeOutcome.CHARGED) {
                    n++;
                }
            }
            return n;
        });
        // Only one thread archives after the race, so offers come in order.
        store.archiveBefore(T0.plusSeconds(clock.get() - 3), sink);
        int total = charged.stream().mapToInt(Integer::intValue).sum();
        long charges = 0;
        for (long account : List.of(alice, bob)) {
            assertLedgerConsistent(account);
            List<LedgerEntry> history = new ArrayList<>(sink.all(account));
            history.addAll(ledgerOf(account));
            history.removeIf(e -> e.kind() == LedgerEntryKind.OPENING_BALANCE);
            charges += history.stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE).count();
            assertThat(history.stream().filter(e -> e.kind() == LedgerEntryKind.PAYMENT)).hasSize(1);
            assertThat(history.stream().map(LedgerEntry::memo).filter(m -> m != null).distinct().count())
                    .as("distinct charges of account %d", account)
                    .isEqualTo(history.stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE).count());
        }
        assertThat(charges).isEqualTo(total);
        assertThat(balanceOf(alice) + balanceOf(bob)).isEqualTo(2_000_000 - total);
    }
}
