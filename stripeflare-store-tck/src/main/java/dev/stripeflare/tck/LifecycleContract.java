package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.StoreException;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UserStore;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a closed store does: every call fails with {@link StoreException}, and its health says
 * DOWN; an open one says UP.
 */
abstract class LifecycleContract extends StoreContractSupport {

    @Test
    void anOpenStoreIsUpAndAClosedOneDown() {
        UserStore store = newStore();
        store.credit(credit("checkout:cs_1", "alice", 100));
        StoreHealth open = store.health();
        assertThat(open.status()).as("health of an open store: %s", open).isEqualTo(StoreHealth.Status.UP);
        assertThat(open.lastFailure()).isEmpty();
        store.close();
        StoreHealth closed = store.health();
        assertThat(closed.status()).as("health after close: %s", closed).isEqualTo(StoreHealth.Status.DOWN);
        assertThat(closed.detail()).containsIgnoringCase("closed");
    }

    @Test
    void everyCallAfterCloseThrowsStoreException() {
        // A second store, so that the suite's own close() of the first is not a second close.
        UserStore closed = newStore();
        long alice = closed.credit(credit("checkout:cs_1", "alice", 100)).userId();
        closed.close();

        List<Consumer<UserStore>> calls = List.of(
                s -> s.findByTokenHash(TokenHashes.of("alice")),
                s -> s.findById(alice),
                s -> s.findByCardFingerprint("fp"),
                s -> s.findByVerifiedEmail("a@example.com"),
                s -> s.charge(debit("alice", 1)),
                s -> s.credit(credit("checkout:cs_2", "alice", 100)),
                s -> s.reverse(refund("refund:re_1", "checkout:cs_1", 1)),
                s -> s.recordSettled("op", "reason", T0),
                s -> s.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2")),
                s -> s.ledger(alice),
                s -> s.deleteUser(alice),
                s -> s.maintain(new dev.stripeflare.spi.MaintenanceRequest(T0, T0, T0, 10)),
                s -> s.archiveBefore(T0, (userId, entries) -> { }));
        for (Consumer<UserStore> call : calls) {
            assertThatThrownBy(() -> call.accept(closed)).isInstanceOf(StoreException.class);
        }
    }
}
