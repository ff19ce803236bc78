package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.TokenHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holds (issue 14, ADR 34): reserved from the available balance (balance − active holds), captured
 * exactly once at what the work cost, released, expired lazily or by the sweep; charges without
 * overdraft never take held money. Races run 8 threads behind a start gate and check invariants.
 */
@Timeout(120)
abstract class HoldContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant LATER = at(3_600);

    private final Set<Long> touched = ConcurrentHashMap.newKeySet();

    @AfterEach
    final void holdsStayConsistent() {
        for (long userId : touched) {
            if (store.findById(userId).isPresent()) {
                HoldAssertions.assertHoldsConsistent(store, userId);
                assertLedgerConsistent(userId);
            }
        }
    }

    private long account(String token, long cents) {
        long userId = register(token, cents);
        touched.add(userId);
        return userId;
    }

    private static Reservation hold(String token, long cents) {
        return new Reservation(TokenHashes.of(token), 0, cents, false, null, "work", LATER, T0);
    }

    private static Reservation holdAt(String token, long cents, Instant expiresAt, Instant at) {
        return new Reservation(TokenHashes.of(token), 0, cents, false, null, "work", expiresAt, at);
    }

    private static Reservation keyed(String token, long cents, String key) {
        return new Reservation(TokenHashes.of(token), 0, cents, false, key, "work", LATER, T0);
    }

    private static Reservation overdraftHold(String token, long cents) {
        return new Reservation(TokenHashes.of(token), 0, cents, true, null, "work", LATER, T0);
    }

    private HoldChange capture(long holdId, long total) {
        return store.capture(new HoldCapture(holdId, total, true, at(1)));
    }

    private HoldChange step(long holdId, long total) {
        return store.capture(new HoldCapture(holdId, total, false, at(1)));
    }

    private static Debit debitAt(String token, long cents, Instant at) {
        return new Debit(TokenHashes.of(token), cents, false, null, null, at);
    }

    private List<LedgerEntry> capturesOf(long userId, long holdId) {
        return ledgerOf(userId).stream().filter(e -> ("hold:" + holdId).equals(e.operationId())).toList();
    }

    @Test
    void aHoldReservesAndACaptureChargesWhatTheWorkCostAndReleasesTheRest() {
        long alice = account("alice", 1_000);

        HoldChange reserved = store.reserve(hold("alice", 300));

        assertThat(reserved.outcome()).isEqualTo(HoldOutcome.RESERVED);
        HoldState held = reserved.hold();
        assertThat(held.amountCents()).isEqualTo(300);
        assertThat(held.expiresAt()).isEqualTo(LATER);
        assertThat(held.status()).isEqualTo(HoldState.Status.ACTIVE);
        assertThat(reserved.availableAfterCents()).isEqualTo(700);
        assertThat(account(alice).balanceCents()).isEqualTo(1_000);
        assertThat(account(alice).heldCents()).isEqualTo(300);
        assertThat(account(alice).availableCents()).isEqualTo(700);
        assertThat(store.holds(alice)).containsExactly(held);
        assertThat(store.findHold(held.holdId())).contains(held);

        HoldChange captured = capture(held.holdId(), 120);

        assertThat(captured.outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(captured.chargedCents()).isEqualTo(120);
        assertThat(captured.balanceAfterCents()).isEqualTo(880);
        assertThat(captured.availableAfterCents()).isEqualTo(880);
        assertThat(captured.hold().status()).isEqualTo(HoldState.Status.CAPTURED);
        assertThat(captured.hold().capturedCents()).isEqualTo(120);
        assertThat(captured.hold().closedAt()).isEqualTo(at(1));
        assertThat(account(alice).heldCents()).isZero();
        assertThat(account(alice).nextHoldExpiry()).isNull();
        List<LedgerEntry> entries = capturesOf(alice, held.holdId());
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).kind()).isEqualTo(LedgerEntryKind.CHARGE);
        assertThat(entries.get(0).amountCents()).isEqualTo(-120);
        assertThat(entries.get(0).balanceAfterCents()).isEqualTo(880);
        assertThat(entries.get(0).memo()).isEqualTo("work");
    }

    @Test
    void aRetriedCaptureAnswersTheFirstResultAndChargesOnce() {
        long alice = account("alice", 1_000);
        long id = store.reserve(hold("alice", 300)).hold().holdId();
        capture(id, 200);

        HoldChange again = capture(id, 200);
        HoldChange other = capture(id, 250);
        HoldChange released = store.release(id, at(2));

        assertThat(again.outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(again.chargedCents()).isZero();
        assertThat(again.hold().capturedCents()).isEqualTo(200);
        assertThat(other.outcome()).isEqualTo(HoldOutcome.CLOSED);
        assertThat(released.outcome()).isEqualTo(HoldOutcome.CLOSED);
        assertThat(balanceOf(alice)).isEqualTo(800);
        assertThat(capturesOf(alice, id)).hasSize(1);
    }

    @Test
    void chargesWithoutOverdraftNeverTakeHeldMoney() {
        long alice = account("alice", 1_000);
        store.reserve(hold("alice", 800));

        assertThat(charge(StoreFixtures.debit("alice", 201)).outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(charge(StoreFixtures.debit("alice", 201, "k1")).outcome())
                .isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(charge(Debit.ofUser(alice, 201, false, null, null, T0)).outcome())
                .isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(balanceOf(alice)).isEqualTo(1_000);
        assertThat(charge(StoreFixtures.debit("alice", 200)).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(charge(StoreFixtures.debit("alice", 1)).outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(charge(StoreFixtures.overdraft("alice", 50)).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(account(alice).availableCents()).isEqualTo(-50);
        assertThat(account(alice).heldCents()).isEqualTo(800);
    }

    @Test
    void aReservationBeyondTheAvailableBalanceIsRefusedAndRecordsNothing() {
        long alice = account("alice", 1_000);
        store.reserve(hold("alice", 600));
        AccountState before = stateOf(alice);

        HoldChange refused = store.reserve(hold("alice", 401));

        assertThat(refused.outcome()).isEqualTo(HoldOutcome.INSUFFICIENT_BALANCE);
        assertThat(refused.hold()).isNull();
        assertThat(refused.availableAfterCents()).isEqualTo(400);
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.holds(alice)).hasSize(1);
        assertThat(store.reserve(hold("alice", 400)).outcome()).isEqualTo(HoldOutcome.RESERVED);
        assertThat(account(alice).availableCents()).isZero();
    }

    @Test
    void anUnknownTokenOrUserOrHoldAnswersTypedOutcomes() {
        long alice = account("alice", 100);

        assertThat(store.reserve(hold("nobody", 10)).outcome()).isEqualTo(HoldOutcome.NOT_REGISTERED);
        assertThat(store.reserve(new Reservation(null, alice + 1_000, 10, false, null, null, LATER, T0)).outcome())
                .isEqualTo(HoldOutcome.NOT_REGISTERED);
        assertThat(capture(987_654L, 1).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
        assertThat(store.release(987_654L, T0).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
        assertThat(store.findHold(987_654L)).isEmpty();
        assertThat(store.reserve(new Reservation(null, alice, 10, false, null, null, LATER, T0)).outcome())
                .isEqualTo(HoldOutcome.RESERVED);
    }

    @Test
    void badRequestsAreRefusedByTheRecordsBeforeReachingTheStore() {
        assertThatThrownBy(() -> hold("alice", 0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> hold("alice", -5)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> holdAt("alice", 5, T0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reservation("h", 7, 5, false, null, null, LATER, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reservation(null, 0, 5, false, null, null, LATER, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HoldCapture(1, -1, true, T0)).isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void aCaptureAboveTheHoldIsRefusedUnlessTheHoldAllowsOverdraft() {
        long alice = account("alice", 1_000);
        long id = store.reserve(hold("alice", 300)).hold().holdId();
        AccountState before = stateOf(alice);

        assertThat(capture(id, 301).outcome()).isEqualTo(HoldOutcome.EXCEEDS_HOLD);
        assertThat(step(id, 301).outcome()).isEqualTo(HoldOutcome.EXCEEDS_HOLD);
        assertThat(stateOf(alice)).isEqualTo(before);

        long over = store.reserve(overdraftHold("alice", 300)).hold().holdId();
        HoldChange captured = capture(over, 1_500);
        assertThat(captured.outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(captured.balanceAfterCents()).isEqualTo(-500);
        assertThat(account(alice).heldCents()).isEqualTo(300);
    }

    @Test
    void capturesInStepsChargeEachStepOnceAndTheFinalCaptureClosesTheHold() {
        long alice = account("alice", 1_000);
        long id = store.reserve(hold("alice", 500)).hold().holdId();

        assertThat(step(id, 100).chargedCents()).isEqualTo(100);
        assertThat(account(alice).heldCents()).isEqualTo(400);
        assertThat(step(id, 250).chargedCents()).isEqualTo(150);
        HoldChange retried = step(id, 250);
        assertThat(retried.outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(step(id, 100).outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(capture(id, 200).outcome()).isEqualTo(HoldOutcome.BELOW_CAPTURED);
        assertThat(account(alice).heldCents()).isEqualTo(250);

        HoldChange last = capture(id, 300);

        assertThat(last.outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(last.chargedCents()).isEqualTo(50);
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(account(alice).heldCents()).isZero();
        assertThat(capturesOf(alice, id)).extracting(LedgerEntry::amountCents).containsExactly(-100L, -150L, -50L);
        assertThat(step(id, 300).outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(step(id, 301).outcome()).isEqualTo(HoldOutcome.CLOSED);
    }

    @Test
    void aReleaseFreesTheRestOnceAndKeepsWhatWasCaptured() {
        long alice = account("alice", 1_000);
        long id = store.reserve(hold("alice", 500)).hold().holdId();
        step(id, 100);

        HoldChange released = store.release(id, at(2));

        assertThat(released.outcome()).isEqualTo(HoldOutcome.RELEASED);
        assertThat(released.hold().status()).isEqualTo(HoldState.Status.RELEASED);
        assertThat(released.availableAfterCents()).isEqualTo(900);
        assertThat(store.release(id, at(3)).outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(capture(id, 200).outcome()).isEqualTo(HoldOutcome.CLOSED);
        assertThat(step(id, 100).outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(balanceOf(alice)).isEqualTo(900);
        assertThat(account(alice).heldCents()).isZero();
        HoldChange zero = capture(store.reserve(hold("alice", 10)).hold().holdId(), 0);
        assertThat(zero.outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(zero.chargedCents()).isZero();
        assertThat(balanceOf(alice)).isEqualTo(900);
    }

    @Test
    void aHoldPastItsExpiryIsReleasedByTheNextChargeThatNeedsItsMoney() {
        long alice = account("alice", 1_000);
        long id = store.reserve(holdAt("alice", 800, at(60), T0)).hold().holdId();

        assertThat(charge(debitAt("alice", 300, at(59))).outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(charge(debitAt("alice", 300, at(60))).outcome()).isEqualTo(ChargeOutcome.CHARGED);

        HoldState expired = store.findHold(id).orElseThrow();
        assertThat(expired.status()).isEqualTo(HoldState.Status.EXPIRED);
        assertThat(expired.closedAt()).isEqualTo(at(60));
        assertThat(account(alice).heldCents()).isZero();
        HoldChange late = store.capture(new HoldCapture(id, 100, true, at(61)));
        assertThat(late.outcome()).isEqualTo(HoldOutcome.EXPIRED);
        assertThat(late.chargedCents()).isZero();
        assertThat(store.release(id, at(61)).outcome()).isEqualTo(HoldOutcome.EXPIRED);
        assertThat(balanceOf(alice)).isEqualTo(700);
    }

    @Test
    void aCaptureAtOrAfterTheExpiryAnswersExpiredAndReleasesTheHold() {
        long alice = account("alice", 1_000);
        long id = store.reserve(holdAt("alice", 400, at(60), T0)).hold().holdId();
        store.capture(new HoldCapture(id, 100, false, at(30)));

        HoldChange late = store.capture(new HoldCapture(id, 300, true, at(60)));

        assertThat(late.outcome()).isEqualTo(HoldOutcome.EXPIRED);
        assertThat(late.hold().capturedCents()).isEqualTo(100);
        assertThat(balanceOf(alice)).isEqualTo(900);
        assertThat(account(alice).heldCents()).isZero();
    }

    @Test
    void theSweepAndANewReservationExpireDueHolds() {
        long alice = account("alice", 1_000);
        long bob = account("bob", 500);
        long a1 = store.reserve(holdAt("alice", 600, at(60), T0)).hold().holdId();
        store.reserve(holdAt("alice", 100, at(600), T0));
        long b1 = store.reserve(holdAt("bob", 500, at(30), T0)).hold().holdId();
        assertThat(account(alice).nextHoldExpiry()).isEqualTo(at(60));

        assertThat(store.expireHolds(at(29))).isEmpty();
        List<HoldState> swept = store.expireHolds(at(30));
        assertThat(swept).extracting(HoldState::holdId).containsExactly(b1);
        assertThat(swept.get(0).status()).isEqualTo(HoldState.Status.EXPIRED);
        assertThat(account(bob).heldCents()).isZero();
        assertThat(store.expireHolds(bob, at(31))).isEmpty();

        HoldChange reserved = store.reserve(holdAt("alice", 900, at(900), at(61)));
        assertThat(reserved.outcome()).isEqualTo(HoldOutcome.RESERVED);
        assertThat(store.findHold(a1).orElseThrow().status()).isEqualTo(HoldState.Status.EXPIRED);
        assertThat(account(alice).heldCents()).isEqualTo(1_000);
        assertThat(account(alice).nextHoldExpiry()).isEqualTo(at(600));
        assertThat(store.expireHolds(alice, at(600))).hasSize(1);
        assertThat(account(alice).nextHoldExpiry()).isEqualTo(at(900));
    }

    @Test
    void aKeyedReservationIsMadeOnceAndAnotherAmountUnderItsKeyIsRefused() {
        long alice = account("alice", 1_000);
        HoldChange first = store.reserve(keyed("alice", 300, "job-1"));

        HoldChange again = store.reserve(keyed("alice", 300, "job-1"));

        assertThat(again.outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(again.hold().holdId()).isEqualTo(first.hold().holdId());
        assertThat(account(alice).heldCents()).isEqualTo(300);
        AccountState before = stateOf(alice);
        assertThatThrownBy(() -> store.reserve(keyed("alice", 301, "job-1")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(stateOf(alice)).isEqualTo(before);
        capture(first.hold().holdId(), 10);
        HoldChange afterCapture = store.reserve(keyed("alice", 300, "job-1"));
        assertThat(afterCapture.outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(afterCapture.hold().status()).isEqualTo(HoldState.Status.CAPTURED);
        account("bob", 1_000);
        assertThat(store.reserve(keyed("bob", 300, "job-1")).outcome()).isEqualTo(HoldOutcome.RESERVED);
    }

    @Test
    void aDeletedAccountsHoldsAreGoneAndCannotBeCaptured() {
        long alice = account("alice", 1_000);
        long id = store.reserve(hold("alice", 300)).hold().holdId();

        assertThat(store.deleteUser(alice)).isTrue();
        touched.remove(alice);

        assertThat(capture(id, 100).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
        assertThat(store.release(id, at(2)).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
        assertThat(store.findHold(id)).isEmpty();
        assertThat(store.holds(alice)).isEmpty();
        assertThat(store.expireHolds(at(7_200))).isEmpty();
    }

    @Test
    void aRefundWhileAHoldIsOpenLeavesTheCaptureOnlyWhatIsLeft() {
        long alice = account("alice", 1_000);
        long other = store.reserve(hold("alice", 200)).hold().holdId();
        long id = store.reserve(hold("alice", 500)).hold().holdId();
        store.reverse(refund("re_1", "register:alice", 600));
        assertThat(balanceOf(alice)).isEqualTo(400);
        AccountState before = stateOf(alice);

        HoldChange tooMuch = capture(id, 201);

        assertThat(tooMuch.outcome()).isEqualTo(HoldOutcome.INSUFFICIENT_BALANCE);
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(capture(id, 200).outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(balanceOf(alice)).isEqualTo(200);
        assertThat(capture(other, 200).outcome()).isEqualTo(HoldOutcome.CAPTURED);
        assertThat(balanceOf(alice)).isZero();
    }

    @Test
    void aCaptureSpendsGrantedCreditFirstLikeACharge() {
        long alice = account("alice", 100);
        store.grant(new CreditGrant(alice, 50, "g1", "promo", null, T0));
        long id = store.reserve(hold("alice", 120)).hold().holdId();

        capture(id, 80);

        assertThat(account(alice).grantedCents()).isZero();
        assertThat(balanceOf(alice)).isEqualTo(70);
        GrantAssertions.assertGrantsConsistent(store, alice);
    }

    @Test
    void aCaptureThatWouldOverflowTheBalanceIsRefusedAndChangesNothing() {
        long alice = account("alice", 10);
        long id = store.reserve(overdraftHold("alice", 10)).hold().holdId();
        charge(StoreFixtures.overdraft("alice", 20));
        AccountState before = stateOf(alice);

        assertThatThrownBy(() -> capture(id, Long.MAX_VALUE)).isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.findHold(id).orElseThrow().active()).isTrue();
    }

    @Test
    void eightThreadsReservingCapturingChargingAndReleasingNeverTakeMoreThanWasThere() {
        for (int round = 0; round < 5; round++) {
            String token = "shared-" + round;
            long userId = account(token, 5_000);
            int seed = round;
            List<Long> taken = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                Random random = new Random(seed * 31L + thread);
                long mine = 0;
                for (int i = 0; i < 40; i++) {
                    int what = random.nextInt(4);
                    if (what == 0) {
                        charge(StoreFixtures.debit(token, 1 + random.nextInt(200))); // counted from the ledger
                        continue;
                    }
                    HoldChange reserved = store.reserve(hold(token, 1 + random.nextInt(400)));
                    if (reserved.outcome() != HoldOutcome.RESERVED) {
                        assertThat(reserved.outcome()).isEqualTo(HoldOutcome.INSUFFICIENT_BALANCE);
                        continue;
                    }
                    HoldState h = reserved.hold();
                    if (what == 1) {
                        store.release(h.holdId(), T0);
                    } else if (what == 2) {
                        HoldChange c = capture(h.holdId(), random.nextInt((int) h.amountCents() + 1));
                        assertThat(c.outcome()).isEqualTo(HoldOutcome.CAPTURED);
                        mine += c.chargedCents();
                    } else {
                        long half = h.amountCents() / 2;
                        mine += step(h.holdId(), half).chargedCents();
                        HoldChange c = capture(h.holdId(), h.amountCents());
                        assertThat(c.outcome()).isEqualTo(HoldOutcome.CAPTURED);
                        mine += c.chargedCents();
                    }
                    var now = account(userId);
                    assertThat(now.availableCents()).as("available balance").isNotNegative();
                }
                return mine;
            });
            long captured = taken.stream().mapToLong(Long::longValue).sum();
            long charged = ledgerOf(userId).stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE)
                    .mapToLong(e -> -e.amountCents()).sum();
            long capturedInLedger = ledgerOf(userId).stream()
                    .filter(e -> e.operationId() != null && e.operationId().startsWith("hold:"))
                    .mapToLong(e -> -e.amountCents()).sum();
            assertThat(capturedInLedger).as("captures in the ledger").isEqualTo(captured);
            assertThat(charged).as("charges and captures").isLessThanOrEqualTo(5_000);
            assertThat(balanceOf(userId)).isEqualTo(5_000 - charged).isNotNegative();
            assertThat(account(userId).heldCents()).isZero();
            HoldAssertions.assertHoldsConsistent(store, userId);
        }
    }

    @Test
    void eightThreadsRetryingOneCaptureChargeItExactlyOnce() {
        for (int round = 0; round < 5; round++) {
            String token = "retry-" + round;
            long userId = account(token, 1_000);
            long id = store.reserve(hold(token, 500)).hold().holdId();
            boolean sameTotal = round % 2 == 0;

            List<HoldChange> results = ConcurrentRun.race(THREADS, TIMEOUT,
                    thread -> capture(id, sameTotal ? 300 : 100 + thread));

            assertThat(results.stream().filter(r -> r.outcome() == HoldOutcome.CAPTURED)).hasSize(1);
            HoldChange winner = results.stream().filter(r -> r.outcome() == HoldOutcome.CAPTURED).findFirst()
                    .orElseThrow();
            for (HoldChange r : results) {
                if (r != winner) {
                    assertThat(r.outcome()).isIn(sameTotal ? HoldOutcome.REPLAYED : HoldOutcome.CLOSED,
                            HoldOutcome.REPLAYED);
                }
            }
            assertThat(capturesOf(userId, id)).hasSize(1);
            assertThat(balanceOf(userId)).isEqualTo(1_000 - winner.chargedCents());
        }
    }

    @Test
    void eightThreadsReservingUnderOneKeyMakeOneHold() {
        long alice = account("alice", 1_000);
        List<HoldChange> results = ConcurrentRun.race(THREADS, TIMEOUT,
                thread -> store.reserve(keyed("alice", 300, "same")));

        assertThat(results.stream().filter(r -> r.outcome() == HoldOutcome.RESERVED)).hasSize(1);
        assertThat(results).extracting(r -> r.hold().holdId()).containsOnly(results.get(0).hold().holdId());
        assertThat(store.holds(alice)).hasSize(1);
        assertThat(account(alice).heldCents()).isEqualTo(300);
    }

    @Test
    void theSweepRacingCapturesOfDueHoldsLetsExactlyOneCloseEachHold() {
        long alice = account("alice", 10_000);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(store.reserve(holdAt("alice", 100, at(60), T0)).hold().holdId());
        }
        List<List<HoldChange>> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
            List<HoldChange> mine = new ArrayList<>();
            if (thread == 0) {
                store.expireHolds(at(60));
            } else {
                for (long id : ids) {
                    mine.add(store.capture(new HoldCapture(id, 50, true, at(thread % 2 == 0 ? 59 : 60))));
                }
            }
            return mine;
        });

        long captures = results.stream().flatMap(List::stream).filter(r -> r.outcome() == HoldOutcome.CAPTURED)
                .count();
        assertThat(captures).isLessThanOrEqualTo(16);
        assertThat(store.holds(alice)).allMatch(h -> !h.active());
        long capturedHolds = store.holds(alice).stream().filter(h -> h.status() == HoldState.Status.CAPTURED).count();
        assertThat(capturedHolds).isEqualTo(captures);
        assertThat(balanceOf(alice)).isEqualTo(10_000 - 50 * captures);
    }

    @Test
    void chargesRacingCapturesOnAFullyHeldAccountNeverTakeHeldMoney() {
        for (int round = 0; round < 5; round++) {
            String token = "full-" + round;
            long userId = account(token, 800);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(store.reserve(hold(token, 200)).hold().holdId());
            }
            List<Long> charged = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                if (thread < 4) {
                    return capture(ids.get(thread), 150).chargedCents();
                }
                long sum = 0;
                for (int i = 0; i < 20; i++) {
                    if (charge(StoreFixtures.debit(token, 10)).charged()) {
                        sum += 10;
                    }
                }
                return sum;
            });
            long total = charged.stream().mapToLong(Long::longValue).sum();
            assertThat(charged.subList(0, 4)).containsOnly(150L);
            assertThat(total).isLessThanOrEqualTo(800);
            // The charges can only have taken what the captures released: 4 × 50.
            assertThat(total - 600).isLessThanOrEqualTo(200);
            assertThat(balanceOf(userId)).isEqualTo(800 - total).isNotNegative();
        }
    }
}
