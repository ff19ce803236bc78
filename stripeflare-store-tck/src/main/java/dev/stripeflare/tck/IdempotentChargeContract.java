package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import org.junit.jupiter.api.Test;

/** Charges under idempotency keys: at most once per key and account. */
abstract class IdempotentChargeContract extends StoreContractSupport {

    @Test
    void replayedKeyChargesOnceAndReportsBalanceRightAfterFirstCharge() {
        long alice = register("alice", 1_000);
        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.charged(900));
        charge(debit("alice", 50));

        ChargeResult replay = charge(debit("alice", 100, "req-1"));

        assertThat(replay).isEqualTo(ChargeResult.replayed(900));
        assertThat(balanceOf(alice)).isEqualTo(850);
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::kind).containsExactly(
                LedgerEntryKind.PAYMENT, LedgerEntryKind.CHARGE, LedgerEntryKind.CHARGE);
        // The key is kept once, apart from the ledger, for its window only (ADR 30).
        assertThat(ledgerOf(alice).get(1).operationId()).isNull();
        assertLedgerConsistent(alice);
    }

    @Test
    void replayIsRecognisedEvenWhenBalanceIsNowTooLow() {
        long alice = register("alice", 100);
        charge(debit("alice", 100, "req-1"));

        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.replayed(0));
        assertThat(balanceOf(alice)).isZero();
    }

    @Test
    void reusedKeyWithDifferentAmountThrowsAndChangesNothing() {
        long alice = register("alice", 1_000);
        charge(debit("alice", 100, "req-1"));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> charge(debit("alice", 101, "req-1")))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.replayed(900));
    }

    @Test
    void keysArePerAccountSoSameKeyChargesTwoAccounts() {
        long alice = register("alice", 1_000);
        long bob = register("bob", 1_000);

        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.charged(900));
        assertThat(charge(debit("bob", 100, "req-1"))).isEqualTo(ChargeResult.charged(900));

        assertThat(balanceOf(alice)).isEqualTo(900);
        assertThat(balanceOf(bob)).isEqualTo(900);
    }

    @Test
    void declinedChargeDoesNotRecordItsKey() {
        long alice = register("alice", 50);
        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.insufficientBalance(50));

        deliver(credit("checkout:top-up", "alice", 100));

        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.charged(50));
        assertThat(balanceOf(alice)).isEqualTo(50);
    }

    @Test
    void keyPresentedByAnUnknownTokenIsNotRecorded() {
        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.notRegistered());
        register("alice", 500);

        assertThat(charge(debit("alice", 100, "req-1"))).isEqualTo(ChargeResult.charged(400));
    }
}
