package dev.stripeflare.store.memory;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.HoldOutcome;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.HoldAssertions;
import dev.stripeflare.tck.StoreFixtures;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store keeps each account's last {@link AccountHolds#KEPT_CLOSED} closed holds
 * (ADR 34): a retried capture of a recent one replays; an older one answers NOT_FOUND and never
 * charges twice, and the heap does not grow with every hold an account ever had.
 */
class HoldRetentionTest {

    @Test
    void anAccountKeepsItsRecentClosedHoldsAndForgetsOlderOnes() {
        try (InMemoryUserStore store = new InMemoryUserStore()) {
            long userId = store.credit(StoreFixtures.credit("op1", "tok", 1_000_000)).userId();
            int made = AccountHolds.KEPT_CLOSED + 10;
            long first = 0;
            long last = 0;
            for (int i = 0; i < made; i++) {
                long id = store.reserve(new Reservation(TokenHashes.of("tok"), 0, 10, false, null, null,
                        T0.plusSeconds(60), T0)).hold().holdId();
                assertThat(store.capture(new HoldCapture(id, 1, true, T0)).outcome()).isEqualTo(HoldOutcome.CAPTURED);
                first = i == 0 ? id : first;
                last = id;
            }

            assertThat(store.capture(new HoldCapture(last, 1, true, T0)).outcome()).isEqualTo(HoldOutcome.REPLAYED);
            assertThat(store.capture(new HoldCapture(first, 1, true, T0)).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
            assertThat(store.holds(userId)).hasSize(AccountHolds.KEPT_CLOSED);
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(1_000_000 - made);
        }
    }

    @Test
    void activeHoldsAreNeverForgotten() {
        try (InMemoryUserStore store = new InMemoryUserStore()) {
            long userId = store.credit(StoreFixtures.credit("op1", "tok", 1_000_000)).userId();
            long open = store.reserve(new Reservation(TokenHashes.of("tok"), 0, 500, false, null, null,
                    T0.plusSeconds(60), T0)).hold().holdId();
            for (int i = 0; i < AccountHolds.KEPT_CLOSED + 10; i++) {
                long id = store.reserve(new Reservation(TokenHashes.of("tok"), 0, 10, false, null, null,
                        T0.plusSeconds(60), T0)).hold().holdId();
                store.release(id, T0);
            }

            assertThat(store.capture(new HoldCapture(open, 500, true, T0)).outcome()).isEqualTo(HoldOutcome.CAPTURED);
            HoldAssertions.assertHoldsConsistent(store, userId);
        }
    }
}
