package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerArchive;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Rolls accounts' oldest ledger entries up into one opening balance each (ADR 30): one
 * transaction per account that first locks the account's row, as every balance change does, so
 * a charge or credit of that account runs entirely before or after it. The opening entry takes
 * the entry id of the last entry it replaces, so it stays first in ledger order.
 */
final class LedgerRollUp {

    private record Row(long entryId, LedgerEntry entry) { }

    /** What the caller's sink threw, carried through the pool's translation to be rethrown as is. */
    static final class SinkFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailed(RuntimeException cause) {
            super(cause);
        }

        static LedgerArchive guard(LedgerArchive sink) {
            return (userId, archived) -> {
                try {
                    sink.accept(userId, archived);
                } catch (RuntimeException e) {
                    throw new SinkFailed(e);
                }
            };
        }

        /** The sink's own exception when {@code e} carries one, else {@code e}. */
        static RuntimeException unwrap(RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SinkFailed failed) {
                    return (RuntimeException) failed.getCause();
                }
            }
            return e;
        }
    }

    private LedgerRollUp() {
    }

    /** The accounts that have something to roll up before {@code before}. */
    static List<Long> candidates(Handle h, Instant before) {
        return h.createQuery("SELECT USER_ID FROM LEDGER WHERE AT < ? GROUP BY USER_ID"
                        + " HAVING COUNT(*) > 1 OR MIN(KIND) <> 'OPENING_BALANCE' ORDER BY USER_ID")
                .bind(0, Sql.toDb(before)).mapTo(Long.class).list();
    }

    /** Rolls up one account in the caller's transaction; returns the entries archived. */
    static int rollUp(Handle h, long userId, Instant before, LedgerArchive sink) {
        if (h.createQuery("SELECT USER_ID FROM ACCOUNTS WHERE USER_ID = ? FOR UPDATE").bind(0, userId)
                .mapTo(Long.class).findOne().isEmpty()) {
            return 0;
        }
        List<Row> prefix = new ArrayList<>();
        try (var rows = h.createQuery("SELECT ENTRY_ID, " + AccountReads.LEDGER_COLUMNS
                        + " FROM LEDGER WHERE USER_ID = ? ORDER BY ENTRY_ID")
                .bind(0, userId)
                .map((rs, ctx) -> new Row(rs.getLong("ENTRY_ID"), AccountReads.LEDGER_ENTRY.map(rs, ctx)))
                .iterator()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                if (!row.entry().at().isBefore(before)) {
                    break;
                }
                prefix.add(row);
            }
        }
        if (prefix.isEmpty() || (prefix.size() == 1
                && prefix.get(0).entry().kind() == LedgerEntryKind.OPENING_BALANCE)) {
            return 0;
        }
        List<LedgerEntry> archived = prefix.stream().map(Row::entry).toList();
        long sum = 0;
        for (LedgerEntry entry : archived) {
            sum = Math.addExact(sum, entry.amountCents());
        }
        sink.accept(userId, archived);
        Row last = prefix.get(prefix.size() - 1);
        h.execute("DELETE FROM LEDGER WHERE USER_ID = ? AND ENTRY_ID <= ?", userId, last.entryId());
        if (sum != 0) {
            h.execute("INSERT INTO LEDGER (ENTRY_ID, USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT)"
                            + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)", last.entryId(), userId, sum,
                    last.entry().balanceAfterCents(), LedgerEntryKind.OPENING_BALANCE.name(),
                    "opening balance: " + archived.size() + " entries archived", Sql.toDb(last.entry().at()));
        }
        return archived.size();
    }
}
