package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.HoldAssertions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds survive a restart of the H2 file store (ADR 34): a process that stopped between reserve and
 * capture leaves a hold that still reserves its money, can still be captured exactly once, and
 * otherwise expires: no money lost, none taken.
 */
class H2HoldDurabilityTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("holds");
    }

    @Test
    void aHoldMadeBeforeARestartStillReservesAndIsCapturedOnceAfterIt() {
        long userId;
        long holdId;
        try (H2UserStore store = H2UserStore.file(file())) {
            userId = store.credit(credit("op1", "tok", 1_000)).userId();
            holdId = store.reserve(new Reservation(TokenHashes.of("tok"), 0, 700, false, "job-1", "work",
                    T0.plusSeconds(60), T0)).hold().holdId();
        }
        try (H2UserStore store = H2UserStore.file(file())) {
            assertThat(store.findById(userId).orElseThrow().heldCents()).isEqualTo(700);
            assertThat(store.charge(new Debit(TokenHashes.of("tok"), 301, false, null, null, T0.plusSeconds(1)))
                    .outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
            assertThat(store.reserve(new Reservation(TokenHashes.of("tok"), 0, 700, false, "job-1", "work",
                    T0.plusSeconds(60), T0)).hold().holdId()).isEqualTo(holdId);
            assertThat(store.capture(new HoldCapture(holdId, 400, true, T0.plusSeconds(2))).outcome())
                    .isEqualTo(HoldOutcome.CAPTURED);
        }
        try (H2UserStore store = H2UserStore.file(file())) {
            assertThat(store.capture(new HoldCapture(holdId, 400, true, T0.plusSeconds(3))).outcome())
                    .isEqualTo(HoldOutcome.REPLAYED);
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(600);
            HoldAssertions.assertHoldsConsistent(store, userId);
        }
    }

    @Test
    void aHoldLeftByAStoppedProcessExpiresAndTakesNothing() {
        long userId;
        try (H2UserStore store = H2UserStore.file(file())) {
            userId = store.credit(credit("op1", "tok", 1_000)).userId();
            store.reserve(new Reservation(TokenHashes.of("tok"), 0, 1_000, false, null, null, T0.plusSeconds(60), T0));
        }
        try (H2UserStore store = H2UserStore.file(file())) {
            assertThat(store.expireHolds(T0.plusSeconds(60))).extracting(HoldState::status)
                    .containsExactly(HoldState.Status.EXPIRED);
            assertThat(store.findById(userId).orElseThrow().availableCents()).isEqualTo(1_000);
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(1_000);
            HoldAssertions.assertHoldsConsistent(store, userId);
        }
    }
}
