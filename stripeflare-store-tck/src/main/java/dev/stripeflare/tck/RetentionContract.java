package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.paymentReferenceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UnclaimedAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.stripeflare.spi.UserStore#maintain}: what each cut-off removes, what it keeps, that
 * batches are bounded, that balances and ledgers never change, and that pruning races charges,
 * credits and reversals safely (ADR 30).
 */
abstract class RetentionContract extends StoreContractSupport {

    private static final Instant DAY = T0.plus(Duration.ofDays(1));

    private static Instant days(long n) {
        return T0.plus(Duration.ofDays(n));
    }

    private static Debit keyed(String token, long cents, String key, Instant at) {
        return new Debit(TokenHashes.of(token), cents, false, key, null, at);
    }

    private MaintenanceRequest prune(Instant keys, Instant operations, Instant payments, int batch) {
        return new MaintenanceRequest(keys, operations, payments, batch);
    }

    /** Everything due before the cut-offs, in as many batches as it takes. */
    private MaintenanceReport pruneAll(Instant keys, Instant operations, Instant payments) {
        MaintenanceReport total = MaintenanceReport.empty();
        for (int i = 0; i < 1_000; i++) {
            MaintenanceReport batch = store.maintain(prune(keys, operations, payments, 3));
            total = total.plus(batch);
            if (!batch.more()) {
                return total;
            }
        }
        throw new AssertionError("maintenance never finished: " + total);
    }

    @Test
    void idempotencyKeyReplaysWithinItsWindowAndChargesAgainAfterIt() {
        long alice = register("alice", 1_000);
        assertThat(charge(keyed("alice", 100, "k-1", T0))).isEqualTo(ChargeResult.charged(900));

        MaintenanceReport early = store.maintain(prune(T0, T0, T0, 100));
        assertThat(early.idempotencyKeys()).isZero();
        assertThat(charge(keyed("alice", 100, "k-1", T0.plusSeconds(60)))).isEqualTo(ChargeResult.replayed(900));

        MaintenanceReport late = store.maintain(prune(T0.plusSeconds(1), T0, T0, 100));
        assertThat(late.idempotencyKeys()).isEqualTo(1);
        assertThat(charge(keyed("alice", 100, "k-1", DAY))).isEqualTo(ChargeResult.charged(800));
        assertThat(balanceOf(alice)).isEqualTo(800);
        assertLedgerConsistent(alice);
    }

    /**
     * Review: an idempotency key of a charge by user id is forgotten after its window like one
     * by token, whichever charge step took it (the plain one, or the one reporting expiries that
     * the wallet uses when it has listeners): the same request must not answer differently
     * depending on whether a listener is registered.
     */
    @Test
    void idempotencyKeysOfChargesByUserIdExpireLikeThoseByToken() {
        long alice = register("alice", 1_000);
        assertThat(store.charge(dev.stripeflare.spi.Debit.ofUser(alice, 100, false, "k-plain", null, T0)))
                .isEqualTo(ChargeResult.charged(900));
        assertThat(store.charge(dev.stripeflare.spi.Debit.ofUser(alice, 100, false, "k-reporting", null, T0),
                expired -> { })).isEqualTo(ChargeResult.charged(800));

        MaintenanceReport late = store.maintain(prune(T0.plusSeconds(1), T0, T0, 100));

        assertThat(late.idempotencyKeys()).as("both keys past their window").isEqualTo(2);
        assertThat(store.charge(dev.stripeflare.spi.Debit.ofUser(alice, 100, false, "k-plain", null, DAY)))
                .as("the plain step's key charges again after its window").isEqualTo(ChargeResult.charged(700));
        assertLedgerConsistent(alice);
    }

    @Test
    void adjustmentIdsAreKeptAsLongAsPaymentsThenForgotten() {
        long alice = register("alice", 1_000);
        Adjustment refund = new Adjustment(alice, 250, false, "ticket 42", "adj-1", T0);
        assertThat(store.adjust(refund).outcome()).isEqualTo(AdjustmentOutcome.APPLIED);

        pruneAll(DAY, DAY, T0);
        assertThat(store.adjust(refund).outcome()).as("adjustments outlive operation ids")
                .isEqualTo(AdjustmentOutcome.REPLAYED);

        MaintenanceReport late = pruneAll(days(600), days(600), days(600));
        assertThat(late.operations()).isEqualTo(1);
        assertThat(balanceOf(alice)).as("pruning moves no money").isEqualTo(1_250);
        assertLedgerConsistent(alice);
    }

    @Test
    void resolvedUnclaimedPaymentsAreForgottenAfterThePaymentRetentionAndOpenOnesNever() {
        long alice = register("alice", 1);
        store.recordUnclaimed(UnclaimedPaymentContract.unclaimed("cs_open", 100));
        store.recordUnclaimed(UnclaimedPaymentContract.unclaimed("cs_assigned", 200));
        store.recordUnclaimed(UnclaimedPaymentContract.unclaimed("cs_refunded", 300));
        store.assignUnclaimed(new UnclaimedAssignment("cs_assigned", alice, "ticket", null, DAY));
        store.markUnclaimedRefunded("cs_refunded", "refunded", DAY);

        pruneAll(DAY, DAY, DAY);
        assertThat(store.unclaimedPayments()).as("resolved at DAY, not before it").hasSize(3);

        MaintenanceReport late = pruneAll(days(600), days(600), days(600));
        assertThat(late.payments()).isGreaterThanOrEqualTo(2);
        assertThat(store.unclaimedPayments()).extracting(UnclaimedPayment::id).containsExactly("cs_open");
        assertThat(balanceOf(alice)).isEqualTo(201);
    }

    @Test
    void maintenanceNeverChangesABalanceOrALedger() {
        long alice = register("alice", 1_000);
        charge(keyed("alice", 100, "k-1", T0));
        deliver(credit("checkout:cs_2", "alice", 500));
        store.reverse(StoreFixtures.refund("refund:re_1", "checkout:cs_2", 200));
        store.recordSettled("checkout:cs_eur", "currency", T0);
        store.reverse(StoreFixtures.dispute("dispute:dp_early", "checkout:cs_never", 50));
        AccountState before = stateOf(alice);

        MaintenanceReport report = pruneAll(days(1_000), days(1_000), days(1_000));

        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(report.idempotencyKeys()).isEqualTo(1);
        assertThat(report.operations()).isGreaterThanOrEqualTo(4); // 2 credits, 1 settled, 1 refund
        assertThat(report.payments()).isGreaterThanOrEqualTo(2);
        assertThat(report.expiredDeferredReversals()).containsExactly("dispute:dp_early");
        assertThat(pruneAll(days(1_000), days(1_000), days(1_000)).total()).isZero();
    }

    @Test
    void aPrunedOperationIdIsAppliedAgainSoCallersMustRefuseOldDeliveries() {
        long alice = register("alice", 1_000);
        assertThat(store.credit(credit("register:alice", "alice", 1_000)).status())
                .isEqualTo(CreditResult.Status.DUPLICATE);

        MaintenanceReport report = pruneAll(T0, DAY, DAY);

        assertThat(report.operations()).isEqualTo(1);
        assertThat(report.payments()).isEqualTo(1);
        // The store no longer knows the id: this is why the wallet refuses events older than
        // the operation retention before they reach the store.
        assertThat(store.credit(credit("register:alice", "alice", 1_000)).status())
                .isEqualTo(CreditResult.Status.APPLIED);
        assertThat(balanceOf(alice)).isEqualTo(2_000);
    }

    @Test
    void reversalRecordsAndPaymentsOutliveOperationIdsSoLateRestorationsAndCapsStillWork() {
        long alice = register("alice", 1_000);
        PaymentReversal dispute = StoreFixtures.dispute("dispute:dp_1", "register:alice", 600);
        assertThat(store.reverse(dispute).movedCents()).isEqualTo(600);

        MaintenanceReport report = pruneAll(days(40), days(40), T0);
        assertThat(report.operations()).isEqualTo(1); // the credit's id only
        assertThat(report.payments()).isZero();

        ReversalResult won = store.restore(new PaymentRestoration("dispute-won:dp_1", "dispute:dp_1",
                LedgerEntryKind.DISPUTE_WON, null, days(60)));
        assertThat(won.status()).isEqualTo(ReversalResult.Status.APPLIED);
        assertThat(won.movedCents()).isEqualTo(600);
        // The payment row still caps: 1 000 credited, nothing taken now, so at most 1 000.
        ReversalResult refund = store.reverse(new PaymentReversal("refund:re_2", paymentReferenceOf("register:alice"),
                5_000, LedgerEntryKind.REFUND, null, days(61)));
        assertThat(refund.movedCents()).isEqualTo(1_000);
        assertThat(balanceOf(alice)).isZero();
    }

    @Test
    void aReversalOfAPrunedPaymentIsDeferredAndThenExpires() {
        long alice = register("alice", 1_000);
        pruneAll(days(600), days(600), days(600));

        ReversalResult late = store.reverse(new PaymentReversal("dispute:dp_late", paymentReferenceOf("register:alice"),
                300, LedgerEntryKind.DISPUTE, null, days(601)));

        assertThat(late.status()).isEqualTo(ReversalResult.Status.DEFERRED);
        assertThat(pruneAll(days(700), days(700), days(602)).expiredDeferredReversals())
                .containsExactly("dispute:dp_late");
        assertThat(balanceOf(alice)).isEqualTo(1_000);
    }

    @Test
    void anExpiredDeferredReversalIsNeverApplied() {
        store.reverse(StoreFixtures.refund("refund:re_early", "checkout:cs_1", 300));
        assertThat(pruneAll(T0, T0, T0).expiredDeferredReversals()).isEmpty();

        MaintenanceReport report = pruneAll(T0, DAY, T0);

        assertThat(report.expiredDeferredReversals()).containsExactly("refund:re_early");
        CreditResult credited = deliver(credit("checkout:cs_1", "alice", 1_000));
        assertThat(credited.balanceCents()).isEqualTo(1_000);
        assertThat(ledgerOf(credited.userId())).extracting(e -> e.kind()).containsExactly(LedgerEntryKind.PAYMENT);
    }

    @Test
    void aDeferredReversalWithinTheRetentionIsStillApplied() {
        store.reverse(StoreFixtures.refund("refund:re_early", "checkout:cs_1", 300));

        assertThat(pruneAll(T0, T0, T0).total()).isZero();

        assertThat(deliver(credit("checkout:cs_1", "alice", 1_000)).balanceCents()).isEqualTo(700);
    }

    @Test
    void checkoutRowsArePrunedWithTheOperationRetention() {
        store.claimCheckout(StoreFixtures.claim("cs_pending", "bob", T0));

        MaintenanceReport report = pruneAll(T0, DAY, T0);

        assertThat(report.checkouts()).isEqualTo(1);
    }

    @Test
    void eachBatchRemovesAtMostBatchSizeOfEachKind() {
        register("alice", 1_000);
        for (int i = 0; i < 5; i++) {
            charge(keyed("alice", 1, "k-" + i, T0));
        }

        MaintenanceReport first = store.maintain(prune(DAY, T0, T0, 2));
        MaintenanceReport second = store.maintain(prune(DAY, T0, T0, 2));
        MaintenanceReport third = store.maintain(prune(DAY, T0, T0, 2));

        assertThat(List.of(first.idempotencyKeys(), second.idempotencyKeys(), third.idempotencyKeys()))
                .containsExactly(2, 2, 1);
        assertThat(first.more()).isTrue();
        assertThat(third.more()).isFalse();
    }

    @Test
    void aRequestWithPaymentsKeptShorterThanOperationsIsRefused() {
        assertThatThrownBy(() -> new MaintenanceRequest(T0, T0, DAY, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaintenanceRequest(T0, T0, T0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * 8 threads: 6 charge new keys (each retried once, which must replay), credit new payments
     * and refund them, while 2 prune everything older than the race. Nothing new is pruned,
     * everything old is, and every account's balance equals its ledger and what callers were told.
     */
    @Test
    void maintenanceRacingChargesCreditsAndReversalsLosesNothingNew() {
        long[] accounts = new long[6];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = register("user-" + i, 100_000);
            for (int k = 0; k < 20; k++) {
                charge(keyed("user-" + i, 1, "old-" + k, T0));
            }
            deliver(credit("checkout:old-" + i, "user-" + i, 10));
        }
        Instant raceStart = days(10);
        AtomicLong clock = new AtomicLong();
        List<long[]> told = ConcurrentRun.race(8, Duration.ofMinutes(2), thread -> {
            long[] net = new long[2]; // {cents moved as answered, replays not answered REPLAYED}
            if (thread >= 6) {
                for (int i = 0; i < 60; i++) {
                    store.maintain(prune(days(5), days(5), days(5), 4));
                }
                return net;
            }
            String token = "user-" + thread;
            for (int i = 0; i < 60; i++) {
                Instant at = raceStart.plusMillis(clock.incrementAndGet());
                String key = "new-" + thread + "-" + i;
                ChargeResult first = charge(keyed(token, 7, key, at));
                if (first.outcome() == ChargeOutcome.CHARGED) {
                    net[0] -= 7;
                }
                if (charge(keyed(token, 7, key, at.plusMillis(1))).outcome() != ChargeOutcome.REPLAYED) {
                    net[1]++;
                }
                if (i % 10 == 0) {
                    String op = "checkout:new-" + thread + "-" + i;
                    net[0] += store.credit(credit(op, token, 50, StoreFixtures.card("card-" + token), at)).status()
                            == CreditResult.Status.APPLIED ? 50 : 0;
                    net[0] -= store.reverse(new PaymentReversal("refund:new-" + thread + "-" + i,
                            paymentReferenceOf(op), 20, LedgerEntryKind.REFUND, null, at)).movedCents();
                }
            }
            return net;
        });
        for (int i = 0; i < accounts.length; i++) {
            assertThat(told.get(i)[1]).as("retries of new keys not replayed on thread %d", i).isZero();
            assertThat(balanceOf(accounts[i])).isEqualTo(100_000 - 20 + 10 + told.get(i)[0]);
            assertLedgerConsistent(accounts[i]);
        }
        assertThat(pruneAll(days(5), days(5), days(5)).total()).isZero();
        List<String> stillKnown = new ArrayList<>();
        for (int i = 0; i < accounts.length; i++) {
            if (store.credit(credit("checkout:new-" + i + "-0", "user-" + i, 50)).status()
                    != CreditResult.Status.DUPLICATE) {
                stillKnown.add("checkout:new-" + i + "-0");
            }
        }
        assertThat(stillKnown).as("new credit ids forgotten").isEmpty();
    }
}
