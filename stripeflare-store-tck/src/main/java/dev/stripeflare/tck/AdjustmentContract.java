package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.spi.Adjustment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adjustments (issue 13, ADR 32): signed manual corrections, exactly once per operation id,
 * with a ledger entry of their own kind; their bad inputs and their races with each other and
 * with charges.
 */
abstract class AdjustmentContract extends StoreContractSupport {

    static Adjustment adjustment(long userId, long cents, String operationId) {
        return new Adjustment(userId, cents, false, "support ticket", operationId, T0);
    }

    final AdjustmentResult adjust(Adjustment adjustment) {
        return store.adjust(adjustment);
    }

    @Test
    void positiveAdjustmentCreditsWithAdjustmentEntry() {
        long alice = register("alice", 100);

        AdjustmentResult result = adjust(new Adjustment(alice, 250, false, "ticket 42: outage", "adj-1",
                T0.plusSeconds(9)));

        assertThat(result).isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, 350));
        assertThat(balanceOf(alice)).isEqualTo(350);
        assertThat(ledgerOf(alice)).last().isEqualTo(new LedgerEntry(alice, 250, 350, LedgerEntryKind.ADJUSTMENT,
                "adj-1", "ticket 42: outage", T0.plusSeconds(9)));
    }

    @Test
    void negativeAdjustmentDebitsWithinBalance() {
        long alice = register("alice", 100);

        assertThat(adjust(adjustment(alice, -100, "adj-1"))).isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, 0));
        assertThat(ledgerOf(alice)).last().extracting(LedgerEntry::amountCents, LedgerEntry::kind)
                .containsExactly(-100L, LedgerEntryKind.ADJUSTMENT);
    }

    @Test
    void negativeAdjustmentBelowZeroIsDeclinedUnlessAllowed() {
        long alice = register("alice", 100);
        AccountState before = stateOf(alice);

        assertThat(adjust(adjustment(alice, -101, "adj-1")))
                .isEqualTo(new AdjustmentResult(AdjustmentOutcome.INSUFFICIENT_BALANCE, 100));
        assertThat(stateOf(alice)).isEqualTo(before);

        // Declined ids are not recorded: the same id may be applied, here allowed below zero.
        assertThat(adjust(new Adjustment(alice, -101, true, "chargeback fee", "adj-1", T0)))
                .isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, -1));
    }

    @Test
    void positiveAdjustmentOfNegativeBalanceIsAlwaysApplied() {
        long alice = register("alice", 100);
        adjust(new Adjustment(alice, -300, true, "fee", "adj-1", T0));

        assertThat(adjust(adjustment(alice, 50, "adj-2"))).isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, -150));
    }

    @Test
    void repeatedOperationIdReplaysAndChangesNothing() {
        long alice = register("alice", 100);
        adjust(adjustment(alice, 40, "adj-1"));
        charge(debit("alice", 10));
        AccountState before = stateOf(alice);

        assertThat(adjust(adjustment(alice, 40, "adj-1"))).isEqualTo(new AdjustmentResult(AdjustmentOutcome.REPLAYED, 140));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void operationIdReusedForAnotherAmountOrAccountThrowsAndChangesNothing() {
        long alice = register("alice", 100);
        long bob = register("bob", 100);
        adjust(adjustment(alice, 40, "adj-1"));
        AccountState aliceBefore = stateOf(alice);
        AccountState bobBefore = stateOf(bob);

        assertThatThrownBy(() -> adjust(adjustment(alice, 41, "adj-1"))).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThatThrownBy(() -> adjust(adjustment(alice, -40, "adj-1"))).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThatThrownBy(() -> adjust(adjustment(bob, 40, "adj-1"))).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(stateOf(alice)).isEqualTo(aliceBefore);
        assertThat(stateOf(bob)).isEqualTo(bobBefore);
    }

    @Test
    void adjustmentIdsAreApartFromChargeKeysAndCreditIds() {
        long alice = register("alice", 100);
        charge(debit("alice", 10, "same-id"));

        assertThat(adjust(adjustment(alice, 5, "same-id")).outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
        assertThat(adjust(adjustment(alice, 5, "register:alice")).outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
        assertThat(balanceOf(alice)).isEqualTo(100);
    }

    @Test
    void unknownOrDeletedAccountThrowsAndChangesNothing() {
        long alice = register("alice", 100);
        long bob = register("bob", 100);
        adjust(adjustment(bob, 10, "adj-bob"));
        assertThat(store.deleteUser(bob)).isTrue();
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> adjust(adjustment(alice + bob + 1_000, 10, "adj-1")))
                .isInstanceOf(UnknownUserException.class);
        assertThatThrownBy(() -> adjust(adjustment(bob, 10, "adj-2"))).isInstanceOf(UnknownUserException.class);
        assertThat(stateOf(alice)).isEqualTo(before);
        // Nothing was recorded under the refused ids, and the deleted account's id stays recorded.
        assertThat(adjust(adjustment(alice, 10, "adj-1")).outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
        assertThatThrownBy(() -> adjust(adjustment(alice, 10, "adj-bob")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void adjustmentThatWouldOverflowThrowsAndChangesNothing() {
        long alice = register("alice", 1);
        adjust(adjustment(alice, Long.MAX_VALUE - 1, "adj-max"));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> adjust(adjustment(alice, 1, "adj-1"))).isInstanceOf(InvalidAmountException.class);
        adjust(new Adjustment(alice, Long.MIN_VALUE, true, "down", "adj-min", T0));
        AccountState low = stateOf(alice);
        assertThatThrownBy(() -> adjust(new Adjustment(alice, Long.MIN_VALUE, true, "down", "adj-2", T0)))
                .isInstanceOf(InvalidAmountException.class);
        assertThat(stateOf(alice)).isEqualTo(low);
        assertThat(before).isNotEqualTo(low);
        // The refused id was not recorded.
        assertThat(adjust(adjustment(alice, 1, "adj-1")).outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
    }

    @Test
    void zeroAdjustmentIsRefusedBeforeTheStore() {
        assertThatThrownBy(() -> new Adjustment(1, 0, false, "nothing", "adj-0", T0))
                .isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void eightThreadsUnderOneOperationIdApplyItOnce() {
        long alice = register("alice", 100);

        for (int round = 0; round < 10; round++) {
            String id = "adj-" + round;
            long cents = round % 2 == 0 ? 30 : -20;
            List<AdjustmentResult> results = ConcurrentRun.race(8, Duration.ofSeconds(60),
                    t -> adjust(adjustment(alice, cents, id)));

            assertThat(results).filteredOn(r -> r.outcome() == AdjustmentOutcome.APPLIED).hasSize(1);
            assertThat(results).filteredOn(r -> r.outcome() == AdjustmentOutcome.REPLAYED).hasSize(7);
            assertThat(results).extracting(AdjustmentResult::balanceCents).containsOnly(results.stream()
                    .filter(r -> r.outcome() == AdjustmentOutcome.APPLIED).findFirst().orElseThrow().balanceCents());
        }
        assertThat(balanceOf(alice)).isEqualTo(100 + 5 * 30 - 5 * 20);
        assertThat(ledgerOf(alice)).filteredOn(e -> e.kind() == LedgerEntryKind.ADJUSTMENT).hasSize(10);
    }

    @Test
    void eightThreadsAdjustingAndChargingKeepEveryCentAndNeverOverdraw() {
        long alice = register("alice", 200);

        List<long[]> moved = ConcurrentRun.race(8, Duration.ofSeconds(60), t -> {
            long adjusted = 0;
            long charged = 0;
            for (int i = 0; i < 15; i++) {
                // Odd threads take money out by adjustment, even threads put it in; all charge.
                long cents = t % 2 == 0 ? 3 : -4;
                AdjustmentResult result = adjust(adjustment(alice, cents, "adj-" + t + "-" + i));
                // The same id again, as a redelivered support action: never applied twice, and a
                // declined one (nothing recorded) may apply on its retry.
                AdjustmentResult retry = adjust(adjustment(alice, cents, "adj-" + t + "-" + i));
                if (result.outcome() == AdjustmentOutcome.APPLIED) {
                    adjusted += cents;
                    assertThat(retry.outcome()).isEqualTo(AdjustmentOutcome.REPLAYED);
                } else {
                    assertThat(result.outcome()).isEqualTo(AdjustmentOutcome.INSUFFICIENT_BALANCE);
                    adjusted += retry.outcome() == AdjustmentOutcome.APPLIED ? cents : 0;
                }
                if (charge(debit("alice", 2)).charged()) {
                    charged += 2;
                }
                assertThat(balanceOf(alice)).isNotNegative();
            }
            return new long[] {adjusted, charged};
        });

        long adjusted = moved.stream().mapToLong(m -> m[0]).sum();
        long charged = moved.stream().mapToLong(m -> m[1]).sum();
        assertThat(balanceOf(alice)).isEqualTo(200 + adjusted - charged).isNotNegative();
        assertThat(ledgerOf(alice)).filteredOn(e -> e.kind() == LedgerEntryKind.ADJUSTMENT)
                .extracting(LedgerEntry::amountCents).allMatch(c -> c == 3 || c == -4);
        assertLedgerConsistent(alice);
    }
}
