package dev.stripeflare.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap per charge of the in-memory store (ADR 30): {@code -Dstripeflare.footprint=true}.
 * 1 000 accounts, 1 000 000 charges with 48-character keys; live heap after GC with everything
 * kept, after the keys' window passed ({@code maintain}), and after the ledgers were rolled up
 * ({@code archiveBefore}). Reports only; asserts that each step frees something.
 */
@EnabledIfSystemProperty(named = "stripeflare.footprint", matches = "true")
class FootprintTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int USERS = 1_000;
    private static final int CHARGES = 1_000_000;

    @Test
    void heapPerChargeBeforeAndAfterRetention() {
        InMemoryUserStore store = new InMemoryUserStore();
        for (int i = 0; i < USERS; i++) {
            store.credit(new PaymentCredit("register:" + i, TokenHashes.of("u" + i), 1_000_000_000L, "pi_" + i,
                    new PaymentProfile(null, null, null, null), null, null, null, T0));
        }
        String[] hashes = new String[USERS];
        for (int i = 0; i < USERS; i++) {
            hashes[i] = TokenHashes.of("u" + i);
        }
        long base = liveHeap();
        for (int n = 0; n < CHARGES; n++) {
            String key = String.format(Locale.ROOT, "%048d", n);
            assertThat(store.charge(new Debit(hashes[n % USERS], 1, false, key, null, T0.plusMillis(n))).outcome())
                    .isEqualTo(ChargeOutcome.CHARGED);
        }
        long all = liveHeap();
        store.maintain(new MaintenanceRequest(T0.plusSeconds(10_000), T0, T0, MaintenanceRequest.MAX_BATCH_SIZE));
        while (store.maintain(new MaintenanceRequest(T0.plusSeconds(10_000), T0, T0,
                MaintenanceRequest.MAX_BATCH_SIZE)).more()) {
            // until every key is gone
        }
        long keysPruned = liveHeap();
        store.archiveBefore(T0.plusSeconds(10_000), (userId, entries) -> { });
        long archived = liveHeap();
        System.out.printf(Locale.ROOT, "footprint: %,d keyed charges: %.0f B/charge kept; %.0f B/charge after the"
                        + " keys' window; %.0f B/charge after archiving the ledgers%n", CHARGES,
                (all - base) / (double) CHARGES, (keysPruned - base) / (double) CHARGES,
                (archived - base) / (double) CHARGES);
        assertThat(keysPruned).isLessThan(all);
        assertThat(archived).isLessThan(keysPruned);
        store.close();
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
