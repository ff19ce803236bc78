package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Grant;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions over an account's grants that every store must satisfy at every moment (ADR 33):
 * each grant's cents are spent, still there or ended (expired or voided), never two of these; the
 * account's granted credit is the sum of its ACTIVE grants' remainders and never more than its
 * balance allows to be told apart from paid credit; the ledger's GRANT entries give exactly the
 * grants, and its GRANT_EXPIRED and GRANT_VOIDED entries take exactly what ended; and grants were
 * spent only by charges.
 */
public final class GrantAssertions {

    private GrantAssertions() {
    }

    /**
     * Asserts every invariant above for account {@code userId}, which must exist.
     *
     * @param store  the store
     * @param userId the account's id
     */
    public static void assertGrantsConsistent(UserStore store, long userId) {
        assertGrantsConsistent(store, userId, store.ledger(userId));
    }

    /**
     * As above, over the account's whole {@code history}: entries a ledger roll-up archived
     * (ADR 30) and then those left, without opening balances.
     *
     * @param store   the store
     * @param userId  the account's id
     * @param history every ledger entry the account had, archived ones too
     */
    public static void assertGrantsConsistent(UserStore store, long userId, List<LedgerEntry> history) {
        UserRecord account = store.findById(userId).orElseThrow(() -> new AssertionError("no account " + userId));
        List<Grant> grants = store.grants(userId);
        List<LedgerEntry> ledger = history;
        long remaining = 0;
        long spent = 0;
        Map<String, Grant> byOperation = new HashMap<>();
        for (Grant grant : grants) {
            assertThat(grant.userId()).as("account of grant %s", grant.operationId()).isEqualTo(userId);
            assertThat(grant.spentCents()).as("spent of grant %s", grant.operationId()).isNotNegative();
            if (grant.status() != Grant.Status.ACTIVE) {
                assertThat(grant.remainingCents()).as("remainder of ended grant %s", grant.operationId()).isZero();
            } else {
                assertThat(grant.endedCents()).as("ended cents of active grant %s", grant.operationId()).isZero();
            }
            remaining += grant.remainingCents();
            spent += grant.spentCents();
            byOperation.put(grant.operationId(), grant);
        }
        assertThat(account.grantedCents()).as("granted credit of account %d vs its grants' remainders", userId)
                .isEqualTo(remaining);
        Map<String, Long> given = new HashMap<>();
        Map<String, Long> ended = new HashMap<>();
        long charged = 0;
        for (LedgerEntry entry : ledger) {
            if (entry.kind() == LedgerEntryKind.GRANT) {
                assertThat(entry.amountCents()).as("GRANT entry %s", entry.operationId()).isPositive();
                assertThat(given.put(entry.operationId(), entry.amountCents()))
                        .as("GRANT entries under %s", entry.operationId()).isNull();
            } else if (entry.kind() == LedgerEntryKind.GRANT_EXPIRED || entry.kind() == LedgerEntryKind.GRANT_VOIDED) {
                assertThat(entry.amountCents()).as("%s entry %s", entry.kind(), entry.operationId()).isNegative();
                assertThat(ended.put(entry.operationId(), -entry.amountCents()))
                        .as("ending entries under %s", entry.operationId()).isNull();
                Grant grant = byOperation.get(entry.operationId());
                assertThat(grant).as("grant ended by %s", entry.operationId()).isNotNull();
                assertThat(grant.status()).as("status of grant %s", entry.operationId())
                        .isEqualTo(entry.kind() == LedgerEntryKind.GRANT_EXPIRED
                                ? Grant.Status.EXPIRED : Grant.Status.VOIDED);
            } else if (entry.kind() == LedgerEntryKind.CHARGE) {
                charged -= entry.amountCents();
            }
        }
        for (Grant grant : grants) {
            assertThat(given.get(grant.operationId())).as("GRANT entry of grant %s", grant.operationId())
                    .isEqualTo(grant.grantedCents());
            assertThat(ended.getOrDefault(grant.operationId(), 0L)).as("ended cents of grant %s", grant.operationId())
                    .isEqualTo(grant.endedCents());
        }
        assertThat(given).as("GRANT entries without a grant").hasSameSizeAs(grants);
        assertThat(spent).as("granted credit spent vs all charges of account %d", userId).isLessThanOrEqualTo(charged);
    }
}
