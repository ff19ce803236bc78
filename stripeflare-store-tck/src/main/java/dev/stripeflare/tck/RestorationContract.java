package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.dispute;
import static dev.stripeflare.tck.StoreFixtures.disputeWon;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static dev.stripeflare.tck.StoreFixtures.refundFailed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.ReversalResult.Status;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Restorations (a dispute won, a refund failed): give back exactly what the reversal took,
 * exactly once; cancel a reversal that has taken nothing yet so that it never applies.
 */
abstract class RestorationContract extends StoreContractSupport {

    @Test
    void wonDisputeGivesBackExactlyWhatItTook() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(refund("refund:re_1", "checkout:cs_1", 300));
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));

        ReversalResult result = store.restore(new PaymentRestoration("dispute-won:dp_1", "dispute:dp_1",
                LedgerEntryKind.DISPUTE_WON, "we won", T0.plusSeconds(30)));

        assertThat(result).isEqualTo(new ReversalResult(Status.APPLIED, OptionalLong.of(alice), 200, 200));
        assertThat(balanceOf(alice)).isEqualTo(200);
        assertThat(ledgerOf(alice)).last().isEqualTo(new LedgerEntry(alice, 200, 200, LedgerEntryKind.DISPUTE_WON,
                "dispute-won:dp_1", "we won", T0.plusSeconds(30)));
    }

    @Test
    void failedRefundGivesBackWithItsOwnKind() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(refund("refund:re_1", "checkout:cs_1", 300));

        ReversalResult result = store.restore(refundFailed("refund-failed:re_1", "refund:re_1"));

        assertThat(result.movedCents()).isEqualTo(300);
        assertThat(balanceOf(alice)).isEqualTo(500);
        assertThat(ledgerOf(alice)).last().extracting(LedgerEntry::kind).isEqualTo(LedgerEntryKind.REFUND_FAILED);
    }

    @Test
    void repeatedRestorationIsDuplicateAndGivesNothingMore() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));
        AccountState before = stateOf(alice);

        ReversalResult again = store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));

        assertThat(again.status()).isEqualTo(Status.DUPLICATE);
        assertThat(again.movedCents()).isZero();
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void secondRestorationOfTheSameReversalUnderAnotherIdIsDuplicate() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(refund("refund:re_1", "checkout:cs_1", 500));
        store.restore(refundFailed("refund-failed:re_1", "refund:re_1"));

        ReversalResult again = store.restore(disputeWon("dispute-won:other", "refund:re_1"));

        assertThat(again.status()).isEqualTo(Status.DUPLICATE);
        assertThat(balanceOf(alice)).isEqualTo(500);
    }

    @Test
    void restorationOfACappedReversalMovesNothing() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        store.reverse(refund("refund:re_1", "checkout:cs_1", 500));
        int entries = ledgerOf(alice).size();

        ReversalResult result = store.restore(refundFailed("refund-failed:re_1", "refund:re_1"));

        assertThat(result.status()).isEqualTo(Status.APPLIED);
        assertThat(result.movedCents()).isZero();
        assertThat(balanceOf(alice)).isZero();
        assertThat(ledgerOf(alice)).hasSize(entries);
    }

    @Test
    void restorationOfADeferredReversalCancelsIt() {
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 300));

        ReversalResult result = store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));
        CreditResult credited = deliver(credit("checkout:cs_1", "alice", 500));

        assertThat(result.status()).isEqualTo(Status.CANCELLED);
        assertThat(result.movedCents()).isZero();
        assertThat(credited.balanceCents()).isEqualTo(500);
        assertThat(ledgerOf(credited.userId())).hasSize(1);
        assertThat(store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1")).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    void restorationOfAnUnknownReversalCancelsItInAdvance() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();

        ReversalResult result = store.restore(refundFailed("refund-failed:re_1", "refund:re_1"));
        ReversalResult late = store.reverse(refund("refund:re_1", "checkout:cs_1", 300));

        assertThat(result.status()).isEqualTo(Status.CANCELLED);
        assertThat(late.status()).isEqualTo(Status.DUPLICATE);
        assertThat(balanceOf(alice)).isEqualTo(500);
        assertThat(ledgerOf(alice)).hasSize(1);
    }

    @Test
    void restorationOfAReversalWhoseAccountWasDeletedBeforeItMovesNothing() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.deleteUser(alice);
        ReversalResult reversed = store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 500));
        assertThat(reversed.status()).isEqualTo(Status.APPLIED);
        assertThat(reversed.userId()).isEmpty();

        ReversalResult result = store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));

        assertThat(result.status()).isEqualTo(Status.APPLIED);
        assertThat(result.movedCents()).isZero();
        assertThat(store.findById(alice)).isEmpty();
    }

    @Test
    void aRestoredReversalsRedeliveryIsDuplicate() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 200));
        store.restore(disputeWon("dispute-won:dp_1", "dispute:dp_1"));

        assertThat(store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 200)).status()).isEqualTo(Status.DUPLICATE);
        assertThat(balanceOf(alice)).isEqualTo(500);
    }
}
