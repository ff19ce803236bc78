package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.overdraft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import org.junit.jupiter.api.Test;

/** Charges without idempotency keys: balance checks, overdraft, ledger entries, overflow. */
abstract class ChargeContract extends StoreContractSupport {

    @Test
    void chargeWithinBalanceDebitsAndAppendsLedgerEntry() {
        long alice = register("alice", 1_000);
        Debit debit = new Debit(TokenHashes.of("alice"), 300, false, null, "GET /report", T0.plusSeconds(5));

        ChargeResult result = charge(debit);

        assertThat(result).isEqualTo(ChargeResult.charged(700));
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(ledgerOf(alice)).hasSize(2).last().isEqualTo(new LedgerEntry(
                alice, -300, 700, LedgerEntryKind.CHARGE, null, "GET /report", T0.plusSeconds(5)));
        assertLedgerConsistent(alice);
    }

    @Test
    void chargeOfWholeBalanceLeavesZero() {
        long alice = register("alice", 500);

        assertThat(charge(debit("alice", 500))).isEqualTo(ChargeResult.charged(0));
        assertThat(balanceOf(alice)).isZero();
        assertLedgerConsistent(alice);
    }

    @Test
    void chargeAboveBalanceFailsAndChangesNothing() {
        long alice = register("alice", 500);
        AccountState before = stateOf(alice);

        ChargeResult result = charge(debit("alice", 501));

        assertThat(result).isEqualTo(ChargeResult.insufficientBalance(500));
        assertThat(result.outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void chargeAboveBalanceWithOverdraftGoesNegative() {
        long alice = register("alice", 500);

        assertThat(charge(overdraft("alice", 800))).isEqualTo(ChargeResult.charged(-300));
        assertThat(balanceOf(alice)).isEqualTo(-300);
        assertThat(ledgerOf(alice)).last().extracting(LedgerEntry::amountCents, LedgerEntry::balanceAfterCents)
                .containsExactly(-800L, -300L);
        assertLedgerConsistent(alice);
    }

    @Test
    void chargeOnNegativeBalanceWithoutOverdraftFailsAndChangesNothing() {
        long alice = register("alice", 100);
        charge(overdraft("alice", 150));
        AccountState before = stateOf(alice);

        assertThat(charge(debit("alice", 1))).isEqualTo(ChargeResult.insufficientBalance(-50));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void chargeOfUnknownTokenHashIsNotRegisteredAndCreatesNothing() {
        ChargeResult result = charge(overdraft("nobody", 100));

        assertThat(result).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.findByTokenHash(TokenHashes.of("nobody"))).isEmpty();
    }

    @Test
    void chargeThatWouldOverflowThrowsAndChangesNothing() {
        long alice = register("alice", 1);
        charge(overdraft("alice", Long.MAX_VALUE));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> charge(new Debit(TokenHashes.of("alice"), Long.MAX_VALUE, true, "k", null, T0)))
                .isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        // The key was not recorded: a smaller charge may use it.
        assertThat(charge(new Debit(TokenHashes.of("alice"), 1, true, "k", null, T0)).outcome())
                .isEqualTo(ChargeOutcome.CHARGED);
        assertLedgerConsistent(alice);
    }

    @Test
    void chargeDebitsOnlyTheAccountOfItsToken() {
        long alice = register("alice", 500);
        long bob = register("bob", 500);

        charge(debit("alice", 200));

        assertThat(balanceOf(alice)).isEqualTo(300);
        assertThat(balanceOf(bob)).isEqualTo(500);
        assertThat(ledgerOf(bob)).hasSize(1);
    }
}
