package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.adaptiveRefund;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.dispute;
import static dev.stripeflare.tck.StoreFixtures.disputeWon;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.ReversalResult.Status;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * All reversals of one payment together never take more than it credited (less what restores
 * gave back), applied now or deferred until the credit; Adaptive Pricing fractions of the
 * credited cents, rounded half up.
 */
abstract class ReversalCapContract extends StoreContractSupport {

    @Test
    void disputeThenRefundOfTheSamePaymentNeverExceedTheCredit() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();

        ReversalResult disputed = store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        ReversalResult refunded = store.reverse(refund("refund:re_1", "checkout:cs_1", 500));

        assertThat(disputed).isEqualTo(new ReversalResult(Status.APPLIED, OptionalLong.of(alice), 0, 500));
        assertThat(refunded).isEqualTo(new ReversalResult(Status.APPLIED, OptionalLong.of(alice), 0, 0));
        assertThat(balanceOf(alice)).isZero();
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::operationId)
                .as("a reversal capped to nothing leaves no ledger entry")
                .containsExactly("checkout:cs_1", "dispute:dp_1");
    }

    @Test
    void partialRefundThenFullDisputeTakesOnlyTheRest() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(refund("refund:re_1", "checkout:cs_1", 300));

        ReversalResult disputed = store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));

        assertThat(disputed.movedCents()).isEqualTo(200);
        assertThat(balanceOf(alice)).isZero();
        assertThat(ledgerOf(alice)).last().extracting(LedgerEntry::amountCents).isEqualTo(-200L);
    }

    @Test
    void capIsPerPaymentNotPerAccount() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        deliver(credit("checkout:cs_2", "alice", 700));

        store.reverse(refund("refund:re_1", "checkout:cs_1", 500));
        ReversalResult second = store.reverse(refund("refund:re_2", "checkout:cs_1", 500));

        assertThat(second.movedCents()).isZero();
        assertThat(balanceOf(alice)).isEqualTo(700);
    }

    @Test
    void reversalLargerThanThePaymentTakesThePayment() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        deliver(credit("checkout:cs_2", "alice", 700));

        ReversalResult result = store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 5_000));

        assertThat(result.movedCents()).isEqualTo(500);
        assertThat(balanceOf(alice)).isEqualTo(700);
    }

    @Test
    void cappedReversalIsStillRecordedAndItsRedeliveryIsDuplicate() {
        deliver(credit("checkout:cs_1", "alice", 500));
        store.reverse(refund("refund:re_1", "checkout:cs_1", 500));
        store.reverse(refund("refund:re_2", "checkout:cs_1", 500));

        assertThat(store.reverse(refund("refund:re_2", "checkout:cs_1", 500)).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void deferredReversalsAreCappedAtCreditTime() {
        assertThat(store.reverse(refund("refund:re_1", "checkout:cs_1", 400)).status()).isEqualTo(Status.DEFERRED);
        assertThat(store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 400)).status()).isEqualTo(Status.DEFERRED);

        CreditResult credited = deliver(credit("checkout:cs_1", "alice", 500));

        long alice = credited.userId();
        assertThat(credited.balanceCents()).isZero();
        assertThat(balanceOf(alice)).isZero();
        assertThat(ledgerOf(alice).stream().mapToLong(LedgerEntry::amountCents).filter(a -> a < 0).sum())
                .isEqualTo(-500);
        assertThat(store.reverse(refund("refund:re_2", "checkout:cs_1", 1)).movedCents()).isZero();
    }

    @Test
    void hugeDeferredReversalsCannotOverflowTheCredit() {
        store.reverse(refund("refund:re_1", "checkout:cs_1", Long.MAX_VALUE));
        store.reverse(refund("refund:re_2", "checkout:cs_1", Long.MAX_VALUE));

        CreditResult credited = deliver(credit("checkout:cs_1", "alice", 1));

        assertThat(credited.balanceCents()).isZero();
        assertThat(balanceOf(credited.userId())).isZero();
    }

    @Test
    void reversalAfterTheBalanceWasSpentStillTakesOnlyThePayment() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        charge(debit("alice", 500));

        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        store.reverse(refund("refund:re_1", "checkout:cs_1", 500));

        assertThat(balanceOf(alice)).isEqualTo(-500);
    }

    @Test
    void restoreMakesRoomForALaterReversal() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));

        ReversalResult refunded = store.reverse(refund("refund:re_1", "checkout:cs_1", 500));

        assertThat(refunded.movedCents()).isEqualTo(500);
        assertThat(balanceOf(alice)).isZero();
        assertThat(store.reverse(refund("refund:re_2", "checkout:cs_1", 1)).movedCents()).isZero();
    }

    @ParameterizedTest(name = "{1}/{2} of {0} cents = {3}")
    @CsvSource({
            "1000, 1, 3, 333",
            "1000, 2, 3, 667",
            "5, 1, 2, 3",
            "3, 1, 2, 2",
            "1000, 3, 3, 1000",
            "999, 1, 1000, 1",
            "1000, 1, 4000, 0"
    })
    void adaptivePricingTakesTheRefundedFractionRoundedHalfUp(long credited, long amount, long total,
                                                              long expected) {
        PaymentReversal reversal = adaptiveRefund("refund:re_1", "checkout:cs_1", amount, total);
        assertThat(reversal.requestedCents(credited)).isEqualTo(expected);
        long alice = deliver(credit("checkout:cs_1", "alice", credited)).userId();

        ReversalResult result = store.reverse(reversal);

        assertThat(result.status()).isEqualTo(Status.APPLIED);
        assertThat(result.movedCents()).isEqualTo(expected);
        assertThat(balanceOf(alice)).isEqualTo(credited - expected);
    }

    @Test
    void deferredAdaptiveReversalUsesTheCreditedCents() {
        store.reverse(adaptiveRefund("refund:re_1", "checkout:cs_1", 1, 3));

        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();

        assertThat(balanceOf(alice)).isEqualTo(667);
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::kind, LedgerEntry::amountCents)
                .containsExactly(tuple(LedgerEntryKind.PAYMENT, 1_000L), tuple(LedgerEntryKind.REFUND, -333L));
    }

    @Test
    void adaptiveFractionsOfOnePaymentAreCappedTogether() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();

        store.reverse(adaptiveRefund("refund:re_1", "checkout:cs_1", 2, 3));
        store.reverse(adaptiveRefund("refund:re_2", "checkout:cs_1", 2, 3));

        assertThat(balanceOf(alice)).isZero();
    }
}
