package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.dispute;
import static dev.stripeflare.tck.StoreFixtures.paymentReferenceOf;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Refunds and disputes: exactly once, against the credited account, or deferred until it. */
abstract class ReversalContract extends StoreContractSupport {

    @Test
    void refundDebitsTheCreditedAccount() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        PaymentReversal refund = new PaymentReversal("refund:re_1", paymentReferenceOf("checkout:cs_1"), 400,
                LedgerEntryKind.REFUND, "customer asked", T0.plusSeconds(60));

        ReversalResult result = store.reverse(refund);

        assertThat(result).isEqualTo(new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(alice), 600, 400));
        assertThat(balanceOf(alice)).isEqualTo(600);
        assertThat(ledgerOf(alice)).last().isEqualTo(new LedgerEntry(alice, -400, 600, LedgerEntryKind.REFUND,
                "refund:re_1", "customer asked", T0.plusSeconds(60)));
        assertLedgerConsistent(alice);
    }

    @Test
    void disputeMayTakeBalanceBelowZero() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        charge(debit("alice", 900));

        ReversalResult result = store.reverse(dispute("dispute:dp_1", "checkout:cs_1", 1_000));

        assertThat(result.status()).isEqualTo(ReversalResult.Status.APPLIED);
        assertThat(result.balanceCents()).isEqualTo(-900);
        assertThat(balanceOf(alice)).isEqualTo(-900);
        assertThat(ledgerOf(alice)).last().extracting(LedgerEntry::kind).isEqualTo(LedgerEntryKind.DISPUTE);
        assertLedgerConsistent(alice);
    }

    @Test
    void reversalFollowsThePaymentToTheLinkedAccount() {
        long alice = register("alice", 100);
        link("checkout:cs_2", "alice-phone", 500, alice);

        ReversalResult result = store.reverse(refund("refund:re_1", "checkout:cs_2", 500));

        assertThat(result.userId()).hasValue(alice);
        assertThat(balanceOf(alice)).isEqualTo(100);
    }

    @Test
    void redeliveredReversalIsDuplicateAndChangesNothing() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        store.reverse(refund("refund:re_1", "checkout:cs_1", 400));
        AccountState before = stateOf(alice);

        ReversalResult again = store.reverse(refund("refund:re_1", "checkout:cs_1", 400));

        assertThat(again.status()).isEqualTo(ReversalResult.Status.DUPLICATE);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void twoRefundsOfOnePaymentBothApply() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();

        store.reverse(refund("refund:re_1", "checkout:cs_1", 400));
        store.reverse(refund("refund:re_2", "checkout:cs_1", 100));

        assertThat(balanceOf(alice)).isEqualTo(500);
        assertLedgerConsistent(alice);
    }

    @Test
    void reversalBeforeItsPaymentIsDeferredThenAppliedWithTheCredit() {
        ReversalResult deferred = store.reverse(refund("refund:re_1", "checkout:cs_1", 300));

        assertThat(deferred).isEqualTo(new ReversalResult(ReversalResult.Status.DEFERRED, OptionalLong.empty(), 0, 0));
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();

        CreditResult credited = deliver(credit("checkout:cs_1", "alice", 1_000));

        long alice = credited.userId();
        assertThat(credited.balanceCents()).isEqualTo(700);
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::kind, LedgerEntry::amountCents, LedgerEntry::operationId)
                .containsExactly(
                        tuple(LedgerEntryKind.PAYMENT, 1_000L, "checkout:cs_1"),
                        tuple(LedgerEntryKind.REFUND, -300L, "refund:re_1"));
        assertLedgerConsistent(alice);

        assertThat(store.reverse(refund("refund:re_1", "checkout:cs_1", 300)).status())
                .isEqualTo(ReversalResult.Status.DUPLICATE);
        assertThat(balanceOf(alice)).isEqualTo(700);
    }

    @Test
    void redeliveredDeferredReversalIsDuplicateAndAppliesOnce() {
        store.reverse(refund("refund:re_1", "checkout:cs_1", 300));

        assertThat(store.reverse(refund("refund:re_1", "checkout:cs_1", 300)).status())
                .isEqualTo(ReversalResult.Status.DUPLICATE);

        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(ledgerOf(alice)).hasSize(2);
    }

    @Test
    void deferredReversalOfAnotherPaymentIsNotApplied() {
        store.reverse(refund("refund:re_1", "checkout:cs_other", 300));

        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();

        assertThat(balanceOf(alice)).isEqualTo(1_000);
        assertThat(ledgerOf(alice)).hasSize(1);
    }

    @Test
    void creditIdAndReversalIdShareOneNamespace() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        store.reverse(refund("op-1", "checkout:cs_1", 100));

        assertThat(deliver(credit("op-1", "alice", 500)).status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(store.reverse(refund("checkout:cs_1", "checkout:cs_1", 100)).status())
                .isEqualTo(ReversalResult.Status.DUPLICATE);
        assertThat(balanceOf(alice)).isEqualTo(900);
    }

    @Test
    void creditThatWouldOverflowWithDeferredReversalsThrowsAndChangesNothing() {
        long alice = register("alice", Long.MAX_VALUE - 10);
        store.reverse(refund("refund:re_1", "checkout:cs_2", 5));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> deliver(credit("checkout:cs_2", "alice", 11)))
                .isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.recordSettled("checkout:cs_2", "probe", T0))
                .as("the failed credit's operation id was not recorded").isTrue();
    }
}
