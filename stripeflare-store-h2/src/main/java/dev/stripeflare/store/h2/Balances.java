package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * The one way balances change: an UPDATE that returns the new balance (H2's
 * {@code FINAL TABLE}), followed by the ledger entry (and its day's {@link DailyTotals}) in the same transaction. The UPDATE takes
 * the account's row lock, so concurrent changes to one account run one after another and each
 * re-checks its condition against the committed balance. An overflow fails in H2 and becomes an
 * {@link dev.stripeflare.InvalidAmountException} (see {@link Sql#translate}).
 */
final class Balances {

    private Balances() {
    }

    /** Adds {@code delta} (either sign) unconditionally; empty if the account does not exist. */
    static OptionalLong add(Handle h, long userId, long delta) {
        return h.createQuery("SELECT BALANCE FROM FINAL TABLE"
                        + " (UPDATE ACCOUNTS SET BALANCE = BALANCE + ? WHERE USER_ID = ?)")
                .bind(0, delta).bind(1, userId)
                .mapTo(Long.class).findOne().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    static void appendLedger(Handle h, long userId, long amount, long balanceAfter, LedgerEntryKind kind,
                             String operationId, String memo, Instant at) {
        h.createUpdate("INSERT INTO LEDGER (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, userId).bind(1, amount).bind(2, balanceAfter).bind(3, kind.name())
                .bind(4, operationId).bind(5, memo).bind(6, Sql.toDb(at))
                .execute();
        DailyTotals.add(h, userId, amount, at);
    }
}
