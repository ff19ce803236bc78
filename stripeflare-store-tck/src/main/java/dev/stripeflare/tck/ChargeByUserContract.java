package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Charges that name their account by user id (issue 13, ADR 32): the same rules as charges by
 * token hash — balance check, overdraft, ledger, idempotency keys per account — and their races
 * with charges by token on the same account.
 */
abstract class ChargeByUserContract extends StoreContractSupport {

    static Debit byId(long userId, long cents) {
        return Debit.ofUser(userId, cents, false, null, null, T0);
    }

    static Debit byId(long userId, long cents, String key) {
        return Debit.ofUser(userId, cents, false, key, null, T0);
    }

    @Test
    void chargeByUserIdDebitsAndAppendsChargeEntry() {
        long alice = register("alice", 1_000);

        ChargeResult result = charge(Debit.ofUser(alice, 300, false, null, "nightly export", T0.plusSeconds(5)));

        assertThat(result).isEqualTo(ChargeResult.charged(700));
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(ledgerOf(alice)).last().isEqualTo(new LedgerEntry(
                alice, -300, 700, LedgerEntryKind.CHARGE, null, "nightly export", T0.plusSeconds(5)));
    }

    @Test
    void chargeByUserIdAboveBalanceFailsAndChangesNothing() {
        long alice = register("alice", 500);
        AccountState before = stateOf(alice);

        assertThat(charge(byId(alice, 501))).isEqualTo(ChargeResult.insufficientBalance(500));
        assertThat(charge(byId(alice, 501, "job-1"))).isEqualTo(ChargeResult.insufficientBalance(500));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void chargeByUserIdWithOverdraftGoesNegative() {
        long alice = register("alice", 500);

        assertThat(charge(Debit.ofUser(alice, 800, true, null, null, T0))).isEqualTo(ChargeResult.charged(-300));
        assertThat(charge(Debit.ofUser(alice, 10, true, "k", null, T0))).isEqualTo(ChargeResult.charged(-310));
    }

    @Test
    void chargeOfUnknownUserIdIsNotRegisteredAndCreatesNothing() {
        long alice = register("alice", 500);
        AccountState before = stateOf(alice);

        for (long unknown : new long[] {alice + 1_000, 0, -1, Long.MAX_VALUE}) {
            assertThat(charge(byId(unknown, 1))).as("unkeyed, id %s", unknown).isEqualTo(ChargeResult.notRegistered());
            assertThat(charge(Debit.ofUser(unknown, 1, true, "k", null, T0))).as("keyed, id %s", unknown)
                    .isEqualTo(ChargeResult.notRegistered());
            assertThat(store.findById(unknown)).isEmpty();
        }
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void chargeOfDeletedUserIdIsNotRegistered() {
        long alice = register("alice", 500);
        charge(byId(alice, 5, "before-deletion"));
        assertThat(store.deleteUser(alice)).isTrue();

        assertThat(charge(byId(alice, 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(charge(byId(alice, 5, "before-deletion"))).isEqualTo(ChargeResult.notRegistered());
        assertThat(charge(Debit.ofUser(alice, 1, true, null, null, T0))).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.findById(alice)).isEmpty();
    }

    @Test
    void idempotencyKeyIsTheAccountsWhicheverWayTheChargeNamedIt() {
        long alice = register("alice", 1_000);

        assertThat(charge(debit("alice", 100, "render-7"))).isEqualTo(ChargeResult.charged(900));
        assertThat(charge(byId(alice, 100, "render-7"))).isEqualTo(ChargeResult.replayed(900));
        assertThat(charge(byId(alice, 50, "render-8"))).isEqualTo(ChargeResult.charged(850));
        assertThat(charge(debit("alice", 50, "render-8"))).isEqualTo(ChargeResult.replayed(850));
        assertThat(ledgerOf(alice)).filteredOn(e -> e.kind() == LedgerEntryKind.CHARGE).hasSize(2);
    }

    @Test
    void keyReusedWithOtherAmountThrowsAndChangesNothing() {
        long alice = register("alice", 1_000);
        charge(byId(alice, 100, "job-1"));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> charge(byId(alice, 101, "job-1"))).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void chargeByUserIdThatWouldOverflowThrowsAndChangesNothing() {
        long alice = register("alice", 1);
        charge(Debit.ofUser(alice, Long.MAX_VALUE, true, null, null, T0));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> charge(Debit.ofUser(alice, Long.MAX_VALUE, true, null, null, T0)))
                .isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> charge(Debit.ofUser(alice, Long.MAX_VALUE, true, "k", null, T0)))
                .isInstanceOf(InvalidAmountException.class);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void debitNamesItsAccountOneWayOnly() {
        assertThatThrownBy(() -> new Debit("hash", 7, 1, false, null, null, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Debit.ofUser(1, 0, false, null, null, T0)).isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void eightThreadsChargingByIdAndByTokenNeverOverdraw() {
        long alice = register("alice", 100);

        List<Integer> charged = ConcurrentRun.race(8, Duration.ofSeconds(60), t -> {
            int n = 0;
            for (int i = 0; i < 20; i++) {
                Debit debit = (t + i) % 2 == 0 ? byId(alice, 1) : debit("alice", 1);
                if (charge(debit).charged()) {
                    n++;
                }
            }
            return n;
        });

        assertThat(charged.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(balanceOf(alice)).isZero();
        assertLedgerConsistent(alice);
    }

    @Test
    void eightThreadsUnderOneKeyByIdAndByTokenChargeOnce() {
        long alice = register("alice", 1_000);

        for (int round = 0; round < 10; round++) {
            String key = "message-" + round;
            List<ChargeResult> results = ConcurrentRun.race(8, Duration.ofSeconds(60),
                    t -> charge(t % 2 == 0 ? byId(alice, 7, key) : debit("alice", 7, key)));

            assertThat(results).extracting(ChargeResult::outcome).containsOnly(ChargeOutcome.CHARGED, ChargeOutcome.REPLAYED);
            assertThat(results).filteredOn(r -> r.outcome() == ChargeOutcome.CHARGED).hasSize(1);
        }
        assertThat(balanceOf(alice)).isEqualTo(1_000 - 70);
        assertLedgerConsistent(alice);
    }
}
