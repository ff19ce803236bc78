package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.HoldState;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions over an account's holds that every store must satisfy at every moment (ADR 34): the
 * account's held cents are the sum of what its ACTIVE holds still reserve and its next hold
 * expiry their earliest expiry; each hold's captured cents are exactly the CHARGE entries under
 * {@code hold:<id>}; a hold without overdraft never captured more than it reserved.
 */
public final class HoldAssertions {

    private HoldAssertions() {
    }

    /**
     * Asserts every invariant above for account {@code userId}, which must exist, against its
     * current ledger (use the three-argument form after a ledger roll-up).
     *
     * @param store  the store under test
     * @param userId the account to check; an {@link AssertionError} if it does not exist
     */
    public static void assertHoldsConsistent(UserStore store, long userId) {
        assertHoldsConsistent(store, userId, store.ledger(userId));
    }

    /**
     * As above, over the account's whole {@code history}: entries a ledger roll-up archived
     * (ADR 30) and then those left.
     *
     * @param store   the store under test
     * @param userId  the account to check; an {@link AssertionError} if it does not exist
     * @param history the account's ledger entries, archived ones first; each hold's captured cents
     *                must equal the sum of the CHARGE entries under {@code hold:<id>} in it
     */
    public static void assertHoldsConsistent(UserStore store, long userId, List<LedgerEntry> history) {
        UserRecord account = store.findById(userId).orElseThrow(() -> new AssertionError("no account " + userId));
        List<HoldState> holds = store.holds(userId);
        long held = 0;
        Instant next = null;
        Map<String, HoldState> byOperation = new HashMap<>();
        for (HoldState hold : holds) {
            assertThat(hold.userId()).as("account of hold %d", hold.holdId()).isEqualTo(userId);
            if (!hold.allowOverdraft()) {
                assertThat(hold.capturedCents()).as("captured of hold %d", hold.holdId())
                        .isLessThanOrEqualTo(hold.amountCents());
            }
            if (hold.active()) {
                held += hold.heldCents();
                next = next == null || hold.expiresAt().isBefore(next) ? hold.expiresAt() : next;
                assertThat(hold.closedAt()).as("closing time of active hold %d", hold.holdId()).isNull();
            } else {
                assertThat(hold.closedAt()).as("closing time of closed hold %d", hold.holdId()).isNotNull();
            }
            byOperation.put("hold:" + hold.holdId(), hold);
        }
        assertThat(account.heldCents()).as("held cents of account %d vs its active holds", userId).isEqualTo(held);
        assertThat(account.nextHoldExpiry()).as("next hold expiry of account %d", userId).isEqualTo(next);
        Map<String, Long> captured = new HashMap<>();
        for (LedgerEntry entry : history) {
            if (entry.operationId() != null && entry.operationId().startsWith("hold:")) {
                assertThat(entry.kind()).as("kind of entry under %s", entry.operationId())
                        .isEqualTo(LedgerEntryKind.CHARGE);
                assertThat(entry.amountCents()).as("capture under %s", entry.operationId()).isNegative();
                captured.merge(entry.operationId(), -entry.amountCents(), Long::sum);
            }
        }
        for (Map.Entry<String, HoldState> hold : byOperation.entrySet()) {
            assertThat(captured.getOrDefault(hold.getKey(), 0L)).as("CHARGE entries under %s", hold.getKey())
                    .isEqualTo(hold.getValue().capturedCents());
        }
        assertThat(byOperation.keySet()).as("captures without a hold").containsAll(captured.keySet());
    }
}
