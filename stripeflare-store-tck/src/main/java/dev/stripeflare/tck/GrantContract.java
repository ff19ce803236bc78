package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.TokenHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Grants of free credit (issue 13, ADR 33): given exactly once, spent before paid credit in order
 * of expiry, expired by a charge, a read or the sweep, voided; never taken by a refund; never
 * spent twice. Races run 8 threads behind a start gate for several rounds and check invariants.
 */
@Timeout(120)
abstract class GrantContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final java.util.Set<Long> granted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterEach
    final void grantsStayConsistent() {
        for (long userId : granted) {
            if (store.findById(userId).isPresent()) {
                GrantAssertions.assertGrantsConsistent(store, userId);
            }
        }
    }

    private GrantChange give(long userId, long cents, String operationId, Instant expiresAt) {
        granted.add(userId);
        return store.grant(new CreditGrant(userId, cents, operationId, "promo " + operationId, expiresAt, T0));
    }

    /** The one place this contract builds a debit by token at a time. */
    private static Debit debitAt(String token, long cents, Instant at) {
        return new Debit(TokenHashes.of(token), cents, false, null, null, at);
    }

    private static Debit keyedDebitAt(String token, long cents, String key, Instant at) {
        return new Debit(TokenHashes.of(token), cents, false, key, null, at);
    }

    private Grant grantOf(long userId, String operationId) {
        return store.grants(userId).stream().filter(g -> g.operationId().equals(operationId)).findFirst()
                .orElseThrow(() -> new AssertionError("no grant " + operationId));
    }

    @Test
    void aNegativeAdjustmentWithoutOverdraftCannotTakeGrantedCreditThatLeavesAgain() {
        long alice = register("alice", 1);
        give(alice, 300, "g1", at(3_600));

        AdjustmentResult declined = store.adjust(new Adjustment(alice, -301, false, "take back", "adj-1", at(10)));
        AdjustmentResult paidPart = store.adjust(new Adjustment(alice, -1, false, "take back", "adj-2", at(10)));
        store.expireGrants(alice, at(7_200));

        assertThat(declined.outcome()).isEqualTo(AdjustmentOutcome.INSUFFICIENT_BALANCE);
        assertThat(paidPart.outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
        assertThat(account(alice).balanceCents()).isZero();
    }

    @Test
    void aGrantAddsToBalanceAndGrantedCreditWithItsOwnLedgerEntry() {
        long alice = register("alice", 1_000);

        GrantChange change = give(alice, 500, "g1", at(3_600));

        assertThat(change.status()).isEqualTo(GrantChange.Status.APPLIED);
        assertThat(change.balanceAfterCents()).isEqualTo(1_500);
        assertThat(change.grantedAfterCents()).isEqualTo(500);
        assertThat(account(alice).balanceCents()).isEqualTo(1_500);
        assertThat(account(alice).grantedCents()).isEqualTo(500);
        assertThat(account(alice).nextGrantExpiry()).isEqualTo(at(3_600));
        LedgerEntry last = ledgerOf(alice).get(ledgerOf(alice).size() - 1);
        assertThat(last.kind()).isEqualTo(LedgerEntryKind.GRANT);
        assertThat(last.amountCents()).isEqualTo(500);
        assertThat(last.operationId()).isEqualTo("g1");
        assertThat(last.memo()).isEqualTo("promo g1");
        assertThat(store.grants(alice)).singleElement().satisfies(g -> {
            assertThat(g.status()).isEqualTo(Grant.Status.ACTIVE);
            assertThat(g.remainingCents()).isEqualTo(500);
            assertThat(g.expiresAt()).contains(at(3_600));
        });
    }

    @Test
    void aGrantIsAppliedOncePerOperationIdEvenToAnotherAccount() {
        long alice = register("alice", 1);
        long bob = register("bob", 1);
        give(alice, 500, "g1", null);
        AccountState aliceBefore = stateOf(alice);
        AccountState bobBefore = stateOf(bob);

        GrantChange again = give(alice, 500, "g1", null);
        GrantChange elsewhere = give(bob, 700, "g1", null);

        assertThat(again.status()).isEqualTo(GrantChange.Status.DUPLICATE);
        assertThat(elsewhere.status()).isEqualTo(GrantChange.Status.DUPLICATE);
        assertThat(elsewhere.userId()).as("the account the id granted to").isEqualTo(alice);
        assertThat(elsewhere.cents()).isEqualTo(500);
        assertThat(stateOf(alice)).isEqualTo(aliceBefore);
        assertThat(stateOf(bob)).isEqualTo(bobBefore);
    }

    @Test
    void aGrantToAnUnknownAccountChangesNothing() {
        long alice = register("alice", 100);
        AccountState before = stateOf(alice);

        GrantChange change = store.grant(new CreditGrant(alice + 1_000, 500, "g1", "promo", null, T0));

        assertThat(change.status()).isEqualTo(GrantChange.Status.NO_SUCH_ACCOUNT);
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.grant(new CreditGrant(alice, 500, "g1", "promo", null, T0)).status())
                .as("the refused id is still free").isEqualTo(GrantChange.Status.APPLIED);
        granted.add(alice);
    }

    @Test
    void aGrantThatWouldOverflowTheBalanceThrowsAndChangesNothing() {
        long alice = register("alice", Long.MAX_VALUE - 10);
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> give(alice, 11, "g1", null)).isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.grants(alice)).isEmpty();
    }

    @Test
    void badGrantsAreRefusedBeforeTheyReachTheStore() {
        assertThatThrownBy(() -> new CreditGrant(1, 0, "g", "r", null, T0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> new CreditGrant(1, -5, "g", "r", null, T0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> new CreditGrant(1, 5, "g", "r", T0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CreditGrant(1, 5, "g", "r", at(-1), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chargesSpendGrantsEarliestExpiryFirstThenPermanentOnesThenPaidCredit() {
        long alice = register("alice", 1_000);
        give(alice, 300, "permanent", null);
        give(alice, 200, "late", at(7_200));
        give(alice, 100, "early", at(3_600));

        assertThat(charge(debitAt("alice", 150, at(10))).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(grantOf(alice, "early").remainingCents()).isZero();
        assertThat(grantOf(alice, "late").remainingCents()).isEqualTo(150);
        assertThat(account(alice).nextGrantExpiry()).as("the early grant is spent").isEqualTo(at(7_200));

        assertThat(charge(debitAt("alice", 400, at(20))).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(grantOf(alice, "late").remainingCents()).isZero();
        assertThat(grantOf(alice, "permanent").remainingCents()).isEqualTo(50);
        assertThat(account(alice).grantedCents()).isEqualTo(50);
        assertThat(account(alice).nextGrantExpiry()).isNull();

        assertThat(charge(debitAt("alice", 100, at(30))).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(account(alice).grantedCents()).isZero();
        assertThat(account(alice).balanceCents()).as("paid credit: 1000 - 50").isEqualTo(950);
    }

    @Test
    void aChargeAfterTheExpiryExpiresTheRemainderFirstAndIsCheckedAgainstWhatIsLeft() {
        long alice = register("alice", 100);
        give(alice, 500, "g1", at(3_600));

        ChargeResult result = charge(debitAt("alice", 300, at(3_600)));

        assertThat(result.outcome()).as("only the 100 paid is left at the expiry")
                .isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(result.balanceCents()).isEqualTo(100);
        assertThat(grantOf(alice, "g1").status()).isEqualTo(Grant.Status.EXPIRED);
        assertThat(account(alice).balanceCents()).isEqualTo(100);
        assertThat(account(alice).grantedCents()).isZero();
        assertThat(ledgerOf(alice)).extracting(LedgerEntry::kind)
                .endsWith(LedgerEntryKind.GRANT, LedgerEntryKind.GRANT_EXPIRED);
        assertThat(charge(debitAt("alice", 100, at(3_601))).outcome()).isEqualTo(ChargeOutcome.CHARGED);
    }

    @Test
    void aChargeJustBeforeTheExpirySpendsTheGrant() {
        long alice = register("alice", 1);
        give(alice, 500, "g1", at(3_600));

        assertThat(charge(debitAt("alice", 300, at(3_599))).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        List<ExpiredGrant> expired = store.expireGrants(alice, at(3_600));

        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.operationId()).isEqualTo("g1");
            assertThat(e.expiredCents()).isEqualTo(200);
            assertThat(e.balanceAfterCents()).as("the 1 paid").isEqualTo(1);
        });
        assertThat(store.expireGrants(alice, at(3_601))).as("expired once").isEmpty();
        assertThat(grantOf(alice, "g1").spentCents()).isEqualTo(300);
        assertThat(grantOf(alice, "g1").endedCents()).isEqualTo(200);
    }

    @Test
    void aKeyedChargeReplayedSpendsNoGrantTwice() {
        long alice = register("alice", 1);
        give(alice, 500, "g1", null);

        charge(keyedDebitAt("alice", 200, "job-1", at(1)));
        ChargeResult replay = charge(keyedDebitAt("alice", 200, "job-1", at(2)));

        assertThat(replay.outcome()).isEqualTo(ChargeOutcome.REPLAYED);
        assertThat(grantOf(alice, "g1").remainingCents()).isEqualTo(300);
        assertThat(account(alice).balanceCents()).isEqualTo(301);
    }

    @Test
    void anOverdraftSpendsEveryGrantThenTakesPaidCreditBelowZero() {
        long alice = register("alice", 100);
        give(alice, 200, "g1", null);

        charge(new Debit(TokenHashes.of("alice"), 500, true, null, null, at(1)));

        assertThat(account(alice).balanceCents()).isEqualTo(-200);
        assertThat(account(alice).grantedCents()).isZero();
    }

    @Test
    void aRefundTakesPaidCreditAndNeverTheGrantEvenBelowZero() {
        long alice = register("alice", 1_000);
        give(alice, 500, "g1", null);
        charge(debitAt("alice", 700, at(1)));

        store.reverse(refund("re_1", "register:alice", 1_000));

        assertThat(account(alice).balanceCents()).as("1000 + 500 - 700 - 1000").isEqualTo(-200);
        assertThat(account(alice).grantedCents()).as("the refund leaves the grant").isZero();
        assertThat(grantOf(alice, "g1").spentCents()).isEqualTo(500);
    }

    @Test
    void aRefundLeavesAnUnspentGrantWhole() {
        long alice = register("alice", 1_000);
        give(alice, 500, "g1", null);

        store.reverse(refund("re_1", "register:alice", 1_000));

        assertThat(account(alice).balanceCents()).isEqualTo(500);
        assertThat(account(alice).grantedCents()).isEqualTo(500);
    }

    @Test
    void voidingTakesOnlyTheUnspentRemainderOnce() {
        long alice = register("alice", 1_000);
        give(alice, 500, "g1", null);
        charge(debitAt("alice", 200, at(1)));

        GrantChange voided = store.voidGrant(new GrantVoid(alice, "g1", "support ticket 7", at(2)));
        GrantChange again = store.voidGrant(new GrantVoid(alice, "g1", "twice", at(3)));

        assertThat(voided.status()).isEqualTo(GrantChange.Status.APPLIED);
        assertThat(voided.cents()).isEqualTo(300);
        assertThat(voided.balanceAfterCents()).isEqualTo(1_000);
        assertThat(again.status()).isEqualTo(GrantChange.Status.ENDED);
        assertThat(grantOf(alice, "g1").status()).isEqualTo(Grant.Status.VOIDED);
        LedgerEntry last = ledgerOf(alice).get(ledgerOf(alice).size() - 1);
        assertThat(last.kind()).isEqualTo(LedgerEntryKind.GRANT_VOIDED);
        assertThat(last.amountCents()).isEqualTo(-300);
        assertThat(last.memo()).isEqualTo("support ticket 7");
    }

    @Test
    void voidingAnotherAccountsGrantOrAnUnknownOneChangesNothing() {
        long alice = register("alice", 1);
        long bob = register("bob", 1);
        give(alice, 500, "g1", null);
        AccountState aliceBefore = stateOf(alice);
        AccountState bobBefore = stateOf(bob);

        assertThat(store.voidGrant(new GrantVoid(bob, "g1", null, at(1))).status())
                .isEqualTo(GrantChange.Status.NOT_FOUND);
        assertThat(store.voidGrant(new GrantVoid(alice, "g2", null, at(1))).status())
                .isEqualTo(GrantChange.Status.NOT_FOUND);
        assertThat(store.voidGrant(new GrantVoid(bob + 1_000, "g1", null, at(1))).status())
                .isEqualTo(GrantChange.Status.NO_SUCH_ACCOUNT);

        assertThat(stateOf(alice)).isEqualTo(aliceBefore);
        assertThat(stateOf(bob)).isEqualTo(bobBefore);
    }

    @Test
    void theSweepExpiresDueGrantsOfEveryAccountOnce() {
        long alice = register("alice", 1);
        long bob = register("bob", 1);
        give(alice, 500, "a1", at(100));
        give(alice, 50, "a2", at(10_000));
        give(bob, 300, "b1", at(200));
        charge(debitAt("bob", 300, at(1)));

        List<ExpiredGrant> expired = store.expireGrants(at(500));

        assertThat(expired).extracting(ExpiredGrant::operationId).containsExactlyInAnyOrder("a1", "b1");
        assertThat(expired.stream().collect(Collectors.toMap(ExpiredGrant::operationId, ExpiredGrant::expiredCents)))
                .containsEntry("a1", 500L).containsEntry("b1", 0L);
        assertThat(account(alice).balanceCents()).isEqualTo(51);
        assertThat(account(alice).nextGrantExpiry()).isEqualTo(at(10_000));
        assertThat(grantOf(bob, "b1").status()).isEqualTo(Grant.Status.EXPIRED);
        assertThat(ledgerOf(bob)).extracting(LedgerEntry::kind).doesNotContain(LedgerEntryKind.GRANT_EXPIRED);
        assertThat(store.expireGrants(at(600))).isEmpty();
    }

    @Test
    void aGrantExpiringWhileEightThreadsChargeIsNeverSpentTwice() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "alice" + round;
            long alice = register(token, 1_000);
            give(alice, 2_000, "g" + round, at(1_000));
            // Half the charges come before the expiry, half at or after it, interleaved.
            List<Long> charged = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                long total = 0;
                for (int i = 0; i < 50; i++) {
                    Instant when = at(990 + (i + thread) % 20);
                    if (charge(debitAt(token, 7, when)).outcome() == ChargeOutcome.CHARGED) {
                        total += 7;
                    }
                }
                return total;
            });
            store.expireGrants(alice, at(2_000));
            long totalCharged = charged.stream().mapToLong(Long::longValue).sum();
            Grant grant = grantOf(alice, "g" + round);
            assertThat(grant.status()).isEqualTo(Grant.Status.EXPIRED);
            assertThat(grant.spentCents() + grant.endedCents() + grant.remainingCents())
                    .as("spent + expired + remaining == granted").isEqualTo(2_000);
            long paidSpent = 1_000 - account(alice).balanceCents();
            assertThat(grant.spentCents() + paidSpent).as("every charged cent taken once").isEqualTo(totalCharged);
            assertLedgerConsistent(alice);
            GrantAssertions.assertGrantsConsistent(store, alice);
        }
    }

    @Test
    void aVoidRacingChargesTakesEachCentOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "alice" + round;
            long alice = register(token, 1);
            give(alice, 1_000, "g" + round, null);
            String grantId = "g" + round;
            List<Long> moved = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                if (thread == THREADS / 2) {
                    return -store.voidGrant(new GrantVoid(alice, grantId, "void", at(5))).cents();
                }
                long total = 0;
                for (int i = 0; i < 20; i++) {
                    if (charge(debitAt(token, 9, at(i))).outcome() == ChargeOutcome.CHARGED) {
                        total += 9;
                    }
                }
                return total;
            });
            long charged = moved.stream().filter(m -> m > 0).mapToLong(Long::longValue).sum();
            long voided = -moved.stream().filter(m -> m < 0).mapToLong(Long::longValue).sum();
            Grant grant = grantOf(alice, grantId);
            assertThat(grant.status()).isEqualTo(Grant.Status.VOIDED);
            assertThat(grant.spentCents()).isEqualTo(charged);
            assertThat(grant.endedCents()).isEqualTo(voided);
            assertThat(charged + voided).as("spent + voided == granted").isEqualTo(1_000);
            assertThat(account(alice).balanceCents()).as("the 1 paid").isEqualTo(1);
        }
    }

    @Test
    void eightThreadsGivingOneGrantGiveItOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            long alice = register("alice" + round, 1);
            String id = "g" + round;
            List<GrantChange> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> give(alice, 100, id, null));
            assertThat(results).filteredOn(r -> r.status() == GrantChange.Status.APPLIED).hasSize(1);
            assertThat(results).filteredOn(r -> r.status() == GrantChange.Status.DUPLICATE).hasSize(THREADS - 1);
            assertThat(account(alice).balanceCents()).isEqualTo(101);
        }
    }

    @Test
    void theSweepRacingChargesAndGrantsKeepsEveryInvariant() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "alice" + round;
            long alice = register(token, 500);
            int r = round;
            ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                for (int i = 0; i < 10; i++) {
                    switch (thread % 4) {
                        case 0 -> give(alice, 30, "g" + r + "-" + thread + "-" + i, at(100 + i * 10));
                        case 1 -> store.expireGrants(at(100 + i * 10));
                        default -> charge(debitAt(token, 11, at(95 + i * 10)));
                    }
                }
                return null;
            });
            store.expireGrants(alice, at(10_000));
            assertThat(account(alice).grantedCents()).isZero();
            assertLedgerConsistent(alice);
            GrantAssertions.assertGrantsConsistent(store, alice);
        }
    }
}
