package dev.stripeflare.store.memory;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The charge path takes no store-wide lock and no other account's lock: a charge completes
 * while another thread holds either. Shown by holding the lock, not by measuring time.
 */
@Timeout(30)
class InMemoryUserStoreLockingTest {

    private final InMemoryUserStore store = new InMemoryUserStore();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void chargeCompletesWhileTheStoreWideWriteLockIsHeld() throws Exception {
        store.credit(credit("checkout:cs_1", "alice", 100));

        ChargeResult result = whileHolding(store.writeLock, () -> store.charge(debit("alice", 10)));

        assertThat(result).isEqualTo(ChargeResult.charged(90));
    }

    @Test
    void chargeCompletesWhileAnotherAccountIsLocked() throws Exception {
        store.credit(credit("checkout:cs_1", "alice", 100));
        store.credit(credit("checkout:cs_2", "bob", 100));
        Account alice = store.accountOf(TokenHashes.of("alice"));

        ChargeResult result = whileHolding(alice, () -> store.charge(debit("bob", 10)));

        assertThat(result).isEqualTo(ChargeResult.charged(90));
    }

    @Test
    void closingTwiceIsHarmlessAndLaterCallsFail() {
        store.close();
        store.close();

        assertThatThrownBy(() -> store.charge(debit("alice", 1))).isInstanceOf(StoreException.class);
    }

    /** Runs {@code call} on another thread while this one holds {@code monitor}. */
    private static <T> T whileHolding(Object monitor, java.util.function.Supplier<T> call) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.setDaemon(true);
        holder.start();
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            return CompletableFuture.supplyAsync(call).get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            holder.join();
        }
    }
}
