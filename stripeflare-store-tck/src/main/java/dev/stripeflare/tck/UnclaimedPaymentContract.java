package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unclaimed payments (issue 11 item 3, ADR 31): paid checkouts the wallet could not credit, kept
 * exactly once, then assigned to an account (credited exactly once) or marked refunded, never
 * both. Races run 8 threads behind a start gate for several rounds and check invariants.
 */
@Timeout(120)
abstract class UnclaimedPaymentContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static UnclaimedPayment unclaimed(String checkoutId, long cents) {
        return UnclaimedPayment.received(checkoutId, "pi_" + checkoutId, cents, "usd", "payer@example.com",
                UnclaimedPayment.Reason.UNREADABLE_REFERENCE, T0);
    }

    private UnclaimedResolution assign(String id, long userId) {
        return store.assignUnclaimed(new UnclaimedAssignment(id, userId, "ticket 42", "assigned " + id, at(60)));
    }

    private static PaymentReversal refundOf(String operationId, String checkoutId, long cents) {
        return new PaymentReversal(operationId, "pi_" + checkoutId, cents, LedgerEntryKind.REFUND, null, at(30));
    }

    @Test
    void recordedOnceListedAndFound() {
        UnclaimedPayment payment = unclaimed("cs_u1", 700);

        assertThat(store.recordUnclaimed(payment)).isTrue();
        assertThat(store.recordUnclaimed(payment)).as("the same checkout delivered again").isFalse();

        assertThat(store.unclaimedPayments()).containsExactly(payment);
        assertThat(store.findUnclaimed("cs_u1")).contains(payment);
        assertThat(store.findUnclaimed("cs_other")).isEmpty();
    }

    @Test
    void listIsOldestFirst() {
        UnclaimedPayment later = UnclaimedPayment.received("cs_a", null, 100, "eur", null,
                UnclaimedPayment.Reason.OTHER_CURRENCY, at(10));
        UnclaimedPayment earlier = UnclaimedPayment.received("cs_b", null, 200, "usd", null,
                UnclaimedPayment.Reason.MISSING_REFERENCE, at(5));
        store.recordUnclaimed(later);
        store.recordUnclaimed(earlier);

        assertThat(store.unclaimedPayments()).containsExactly(earlier, later);
    }

    @Test
    void aCreditUnderTheSameOperationIdIsADuplicateAndCreatesNoAccount() {
        store.recordUnclaimed(unclaimed("cs_u1", 700));

        CreditResult again = store.credit(credit("checkout:cs_u1", "alice", 700));

        assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(store.recordSettled("checkout:cs_u1", "late", T0)).isFalse();
    }

    @Test
    void aCreditedCheckoutIsNeverRecordedAsUnclaimed() {
        long alice = deliver(credit("checkout:cs_u1", "alice", 700)).userId();
        AccountState before = stateOf(alice);

        assertThat(store.recordUnclaimed(unclaimed("cs_u1", 700))).isFalse();

        assertThat(store.unclaimedPayments()).isEmpty();
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void onlyAnOpenPaymentIsRecorded() {
        assertThatThrownBy(() -> store.recordUnclaimed(unclaimed("cs_u1", 700).refunded(null, T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.unclaimedPayments()).isEmpty();
    }

    @Test
    void assigningCreditsTheAccountOnceWithAPaymentEntry() {
        long alice = register("alice", 100);
        store.recordUnclaimed(unclaimed("cs_u1", 700));

        UnclaimedResolution first = assign("cs_u1", alice);

        assertThat(first.status()).isEqualTo(UnclaimedResolution.Status.RESOLVED);
        assertThat(first.balanceCents()).isEqualTo(800);
        UnclaimedPayment assigned = first.payment().orElseThrow();
        assertThat(assigned.status()).isEqualTo(UnclaimedPayment.Status.ASSIGNED);
        assertThat(assigned.assignedUserId()).hasValue(alice);
        assertThat(assigned.note()).contains("ticket 42");
        assertThat(assigned.resolvedAt()).contains(at(60));
        assertThat(store.findUnclaimed("cs_u1")).contains(assigned);
        assertThat(balanceOf(alice)).isEqualTo(800);
        LedgerEntry entry = ledgerOf(alice).get(ledgerOf(alice).size() - 1);
        assertThat(entry.kind()).isEqualTo(LedgerEntryKind.PAYMENT);
        assertThat(entry.amountCents()).isEqualTo(700);
        assertThat(entry.operationId()).isEqualTo("checkout:cs_u1");
        assertThat(entry.at()).isEqualTo(at(60));

        AccountState after = stateOf(alice);
        UnclaimedResolution second = assign("cs_u1", alice);
        assertThat(second.status()).isEqualTo(UnclaimedResolution.Status.ALREADY_ASSIGNED);
        assertThat(second.payment()).contains(assigned);
        assertThat(store.markUnclaimedRefunded("cs_u1", "too late", at(90)).status())
                .isEqualTo(UnclaimedResolution.Status.ALREADY_ASSIGNED);
        assertThat(stateOf(alice)).isEqualTo(after);
        assertThat(store.findUnclaimed("cs_u1")).contains(assigned);
    }

    @Test
    void aRefundedPaymentCanNeverBeAssigned() {
        long alice = register("alice", 100);
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        AccountState before = stateOf(alice);

        UnclaimedResolution refunded = store.markUnclaimedRefunded("cs_u1", "refunded in the Dashboard", at(60));

        assertThat(refunded.status()).isEqualTo(UnclaimedResolution.Status.RESOLVED);
        assertThat(refunded.payment().orElseThrow().status()).isEqualTo(UnclaimedPayment.Status.REFUNDED);
        assertThat(store.markUnclaimedRefunded("cs_u1", "again", at(61)).status())
                .isEqualTo(UnclaimedResolution.Status.ALREADY_REFUNDED);
        assertThat(assign("cs_u1", alice).status()).isEqualTo(UnclaimedResolution.Status.ALREADY_REFUNDED);
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.findUnclaimed("cs_u1")).isEqualTo(refunded.payment());
    }

    @Test
    void assigningToAMissingOrDeletedAccountChangesNothing() {
        long bob = register("bob", 100);
        store.deleteUser(bob);
        UnclaimedPayment payment = unclaimed("cs_u1", 700);
        store.recordUnclaimed(payment);

        assertThat(assign("cs_u1", 987_654).status()).isEqualTo(UnclaimedResolution.Status.NO_SUCH_ACCOUNT);
        assertThat(assign("cs_u1", bob).status()).isEqualTo(UnclaimedResolution.Status.NO_SUCH_ACCOUNT);

        assertThat(store.findUnclaimed("cs_u1")).contains(payment);
        assertThat(store.ledger(bob)).isEmpty();
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThat(assign("cs_nope", 1).status()).isEqualTo(UnclaimedResolution.Status.NOT_FOUND);
        assertThat(store.markUnclaimedRefunded("cs_nope", null, T0).status())
                .isEqualTo(UnclaimedResolution.Status.NOT_FOUND);
    }

    @Test
    void anAssignmentThatWouldOverflowChangesNothing() {
        long rich = register("rich", Long.MAX_VALUE - 10);
        UnclaimedPayment payment = unclaimed("cs_u1", 700);
        store.recordUnclaimed(payment);
        AccountState before = stateOf(rich);

        assertThatThrownBy(() -> assign("cs_u1", rich)).isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(rich)).isEqualTo(before);
        assertThat(store.findUnclaimed("cs_u1")).contains(payment);
    }

    @Test
    void aRefundAfterTheAssignmentIsTakenFromTheAssignedAccount() {
        long alice = register("alice", 1);
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        assign("cs_u1", alice);

        ReversalResult refund = store.reverse(refundOf("refund:re_1", "cs_u1", 300));

        assertThat(refund.status()).isEqualTo(ReversalResult.Status.APPLIED);
        assertThat(refund.userId()).hasValue(alice);
        assertThat(balanceOf(alice)).isEqualTo(401);
        assertThat(store.reverse(refundOf("refund:re_2", "cs_u1", 900)).movedCents())
                .as("capped at what is left of the payment").isEqualTo(400);
        assertThat(balanceOf(alice)).isEqualTo(1);
    }

    @Test
    void aRefundBeforeTheAssignmentIsAppliedWithIt() {
        long alice = register("alice", 50);
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        assertThat(store.reverse(refundOf("refund:re_1", "cs_u1", 700)).status())
                .isEqualTo(ReversalResult.Status.DEFERRED);

        UnclaimedResolution assigned = assign("cs_u1", alice);

        assertThat(assigned.balanceCents()).isEqualTo(50);
        assertThat(balanceOf(alice)).as("the payment came in and went back out").isEqualTo(50);
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.PAYMENT, LedgerEntryKind.REFUND);
        assertThat(store.reverse(refundOf("refund:re_1", "cs_u1", 700)).status())
                .isEqualTo(ReversalResult.Status.DUPLICATE);
    }

    /**
     * A refund of an open unclaimed payment waits as a deferred reversal; maintenance must not
     * drop it while the payment can still be assigned, or the assignment would credit money
     * the payer already got back (found by review, issue 11).
     */
    @Test
    void aRefundOfAnOpenUnclaimedPaymentOutlivesRetentionUntilTheAssignment() {
        long alice = register("alice", 1);
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        assertThat(store.reverse(refundOf("refund:re_1", "cs_u1", 700)).status())
                .isEqualTo(ReversalResult.Status.DEFERRED);
        Instant later = T0.plus(Duration.ofDays(36));

        MaintenanceReport report = store.maintain(new MaintenanceRequest(later, later, T0, 100));

        assertThat(report.expiredDeferredReversals()).as("kept while the payment is open").isEmpty();
        assertThat(assign("cs_u1", alice).status()).isEqualTo(UnclaimedResolution.Status.RESOLVED);
        assertThat(balanceOf(alice)).as("the refunded payment came in and went back out").isEqualTo(1);
        assertThat(store.reverse(refundOf("refund:re_1", "cs_u1", 700)).status())
                .isEqualTo(ReversalResult.Status.DUPLICATE);
    }

    @Test
    void aPartialRefundOfAnOpenUnclaimedPaymentOutlivesRetentionToo() {
        long alice = register("alice", 1);
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        store.reverse(refundOf("refund:re_1", "cs_u1", 300));
        Instant later = T0.plus(Duration.ofDays(36));
        for (int sweep = 0; sweep < 3; sweep++) {
            store.maintain(new MaintenanceRequest(later, later, T0, 100));
        }

        assign("cs_u1", alice);

        assertThat(balanceOf(alice)).isEqualTo(401);
    }

    /** Once the payment is resolved another way, its deferred refund expires as any other. */
    @Test
    void aRefundOfAPaymentMarkedRefundedExpiresWithRetention() {
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        store.reverse(refundOf("refund:re_1", "cs_u1", 700));
        Instant later = T0.plus(Duration.ofDays(36));
        store.maintain(new MaintenanceRequest(later, later, T0, 100));
        store.markUnclaimedRefunded("cs_u1", "refunded in the Dashboard", at(90));

        MaintenanceReport report = store.maintain(new MaintenanceRequest(later, later, T0, 100));

        assertThat(report.expiredDeferredReversals()).containsExactly("refund:re_1");
    }

    /** A deferred refund of a payment no unclaimed payment names expires as before. */
    @Test
    void aRefundOfAnUnknownPaymentStillExpires() {
        store.recordUnclaimed(unclaimed("cs_u1", 700));
        store.reverse(new PaymentReversal("refund:re_9", "pi_other", 500, LedgerEntryKind.REFUND, null, at(30)));
        Instant later = T0.plus(Duration.ofDays(36));

        MaintenanceReport report = store.maintain(new MaintenanceRequest(later, later, T0, 100));

        assertThat(report.expiredDeferredReversals()).containsExactly("refund:re_9");
    }

    /** Race: 7 threads run maintenance while one assigns the payment; the refund is never lost. */
    @Test
    void maintenanceRacingAnAssignmentNeverLosesTheRefund() {
        Instant later = T0.plus(Duration.ofDays(36));
        for (int round = 0; round < ROUNDS; round++) {
            String id = "cs_r" + round;
            long account = register("acct" + round, 1);
            store.recordUnclaimed(unclaimed(id, 700));
            store.reverse(refundOf("refund:re_" + round, id, 700));
            ConcurrentRun.race(THREADS, TIMEOUT, thread -> thread == 0
                    ? assign(id, account)
                    : store.maintain(new MaintenanceRequest(later, later, T0, 100)));
            assertThat(balanceOf(account)).as("round %d", round).isEqualTo(1);
            assertLedgerConsistent(account);
        }
    }

    /** Abuse: a second record under another operation id cannot replace a payment kept under its id. */
    @Test
    void aSecondRecordWithTheSameIdIsRefused() {
        UnclaimedPayment payment = unclaimed("cs_u1", 700);
        store.recordUnclaimed(payment);
        UnclaimedPayment forged = new UnclaimedPayment("cs_u1", "checkout:cs_forged", payment.paymentIntentId(),
                999_999, "usd", payment.payerEmail(), payment.reason(), T0, UnclaimedPayment.Status.OPEN,
                payment.assignedUserId(), payment.note(), payment.resolvedAt());

        assertThat(store.recordUnclaimed(forged)).isFalse();

        assertThat(store.unclaimedPayments()).containsExactly(payment);
    }

    @Test
    void eightRecordsOfOneCheckoutAtOnceKeepOne() {
        for (int round = 0; round < ROUNDS; round++) {
            UnclaimedPayment payment = unclaimed("cs_r" + round, 700);
            List<Boolean> recorded = ConcurrentRun.race(THREADS, TIMEOUT, thread -> store.recordUnclaimed(payment));
            assertThat(recorded).as("round %d", round).containsOnlyOnce(true);
        }
        assertThat(store.unclaimedPayments()).hasSize(ROUNDS);
    }

    @Test
    void eightAssignmentsAtOnceCreditOnce() {
        long alice = register("alice", 1);
        long bob = register("bob", 1);
        for (int round = 0; round < ROUNDS; round++) {
            String id = "cs_r" + round;
            store.recordUnclaimed(unclaimed(id, 100));
            List<UnclaimedResolution> results = ConcurrentRun.race(THREADS, TIMEOUT,
                    thread -> assign(id, thread % 2 == 0 ? alice : bob));
            assertThat(results).extracting(UnclaimedResolution::status).as("round %d", round)
                    .containsOnlyOnce(UnclaimedResolution.Status.RESOLVED)
                    .containsOnly(UnclaimedResolution.Status.RESOLVED, UnclaimedResolution.Status.ALREADY_ASSIGNED);
        }
        assertThat(balanceOf(alice) + balanceOf(bob)).isEqualTo(2 + ROUNDS * 100L);
        assertThat(store.unclaimedPayments()).allMatch(p -> p.status() == UnclaimedPayment.Status.ASSIGNED);
    }

    @Test
    void assignmentsRacingRefundMarkingsResolveOnce() {
        long alice = register("alice", 1);
        long expected = 1;
        for (int round = 0; round < ROUNDS; round++) {
            String id = "cs_r" + round;
            store.recordUnclaimed(unclaimed(id, 100));
            List<UnclaimedResolution> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> thread % 2 == 0
                    ? assign(id, alice) : store.markUnclaimedRefunded(id, "refunded", at(60)));
            assertThat(results).extracting(UnclaimedResolution::status).as("round %d", round)
                    .containsOnlyOnce(UnclaimedResolution.Status.RESOLVED);
            UnclaimedPayment after = store.findUnclaimed(id).orElseThrow();
            assertThat(after.status()).isNotEqualTo(UnclaimedPayment.Status.OPEN);
            assertThat(results).extracting(UnclaimedResolution::status).as("round %d", round)
                    .doesNotContain(after.status() == UnclaimedPayment.Status.ASSIGNED
                            ? UnclaimedResolution.Status.ALREADY_REFUNDED : UnclaimedResolution.Status.ALREADY_ASSIGNED);
            expected += after.status() == UnclaimedPayment.Status.ASSIGNED ? 100 : 0;
        }
        assertThat(balanceOf(alice)).isEqualTo(expected);
    }

    @Test
    void assignmentsRacingRefundsOfThePaymentNeverTakeMoreThanItPaid() {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "cs_r" + round;
            String refundPrefix = "refund:re_" + round + "_";
            long account = register("acct" + round, 1_000);
            store.recordUnclaimed(unclaimed(id, 1_000));
            List<Object> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> thread < 4
                    ? assign(id, account)
                    : store.reverse(refundOf(refundPrefix + thread, id, 300)));
            assertThat(results).filteredOn(UnclaimedResolution.class::isInstance)
                    .extracting(r -> ((UnclaimedResolution) r).status()).as("round %d", round)
                    .containsOnlyOnce(UnclaimedResolution.Status.RESOLVED);
            // 1 000 paid in, four refunds of 300 ask for 1 200: capped at the 1 000 the payment brought.
            assertThat(balanceOf(account)).as("round %d", round).isEqualTo(1_000);
            assertLedgerConsistent(account);
        }
    }
}
