package dev.stripeflare.store.postgres;

import dev.stripeflare.LedgerArchive;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.time.OffsetDateTime;
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

    /** What the caller's sink threw, carried through the transaction runner to be rethrown as is. */
    static final class SinkFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailed(RuntimeException cause) {
            super(cause);
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

    private final String candidates;
    private final String lockAccount;
    private final String firstAfter;
    private final String entries;
    private final String delete;
    private final String opening;

    LedgerRollUp(Sql sql) {
        candidates = sql.of("SELECT user_id FROM @ledger WHERE at < :before GROUP BY user_id"
                + " HAVING count(*) > 1 OR min(kind) <> 'OPENING_BALANCE' ORDER BY user_id");
        lockAccount = sql.of("SELECT user_id FROM @accounts WHERE user_id = :id FOR UPDATE");
        firstAfter = sql.of("SELECT coalesce(min(entry_id), 9223372036854775807) FROM @ledger"
                + " WHERE user_id = :id AND at >= :before");
        entries = sql.of("SELECT entry_id, user_id, amount, balance_after, kind, operation_id, memo, at FROM @ledger"
                + " WHERE user_id = :id AND entry_id < :limit ORDER BY entry_id");
        delete = sql.of("DELETE FROM @ledger WHERE user_id = :id AND entry_id <= :last");
        opening = sql.of("INSERT INTO @ledger (entry_id, user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " OVERRIDING SYSTEM VALUE VALUES (:entry, :id, :amount, :after, 'OPENING_BALANCE', NULL, :memo, :at)");
    }

    List<Long> candidates(Handle h, Instant before) {
        return h.createQuery(candidates).bind("before", before).mapTo(Long.class).list();
    }

    /** Rolls up one account in the caller's transaction; returns the entries archived. */
    int rollUp(Handle h, long userId, Instant before, LedgerArchive sink) {
        if (h.createQuery(lockAccount).bind("id", userId).mapTo(Long.class).findOne().isEmpty()) {
            return 0;
        }
        // Only the run of oldest entries before the cut-off: an entry of a later id with an
        // earlier time (a clock step back) stays.
        long limit = h.createQuery(firstAfter).bind("id", userId).bind("before", before).mapTo(Long.class).one();
        List<Row> prefix = h.createQuery(entries).bind("id", userId).bind("limit", limit)
                .map((rs, ctx) -> new Row(rs.getLong(1), new LedgerEntry(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        LedgerEntryKind.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                        Sql.fromDb(rs.getObject(8, OffsetDateTime.class)))))
                .list();
        if (prefix.isEmpty() || (prefix.size() == 1
                && prefix.get(0).entry().kind() == LedgerEntryKind.OPENING_BALANCE)) {
            return 0;
        }
        List<LedgerEntry> archived = prefix.stream().map(Row::entry).toList();
        long sum = 0;
        for (LedgerEntry entry : archived) {
            sum = Math.addExact(sum, entry.amountCents());
        }
        try {
            sink.accept(userId, archived);
        } catch (RuntimeException e) {
            throw new SinkFailed(e);
        }
        Row last = prefix.get(prefix.size() - 1);
        h.createUpdate(delete).bind("id", userId).bind("last", last.entryId()).execute();
        if (sum != 0) {
            h.createUpdate(opening).bind("entry", last.entryId()).bind("id", userId).bind("amount", sum)
                    .bind("after", last.entry().balanceAfterCents())
                    .bind("memo", "opening balance: " + archived.size() + " entries archived")
                    .bind("at", last.entry().at()).execute();
        }
        return archived.size();
    }
}
