package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.util.List;

/** Assertions over an account's ledger that every store must satisfy at every moment. */
public final class LedgerAssertions {

    private LedgerAssertions() {
    }

    /**
     * Asserts that account {@code userId} exists, that its balance equals the sum of its ledger,
     * and that each entry belongs to it, moves money and carries the running balance after it.
     *
     * @param store  the store
     * @param userId the account's id
     */
    public static void assertBalanceMatchesLedger(UserStore store, long userId) {
        UserRecord account = store.findById(userId)
                .orElseThrow(() -> new AssertionError("no account " + userId));
        List<LedgerEntry> ledger = store.ledger(userId);
        long running = 0;
        for (int i = 0; i < ledger.size(); i++) {
            LedgerEntry entry = ledger.get(i);
            running = Math.addExact(running, entry.amountCents());
            assertThat(entry.userId()).as("userId of ledger entry %d", i).isEqualTo(userId);
            assertThat(entry.balanceAfterCents()).as("balanceAfterCents of ledger entry %d", i)
                    .isEqualTo(running);
        }
        assertThat(account.balanceCents()).as("balance of account %d vs the sum of its %d ledger entries",
                userId, ledger.size()).isEqualTo(running);
    }
}
