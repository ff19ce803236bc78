package dev.stripeflare.store.postgres;

import dev.stripeflare.LedgerEntry;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Typed, read-only queries over every account of a {@link PostgresUserStore}, for dashboards and
 * support. No SQL is accepted from the caller. Thread-safe; each call runs in its own
 * {@code READ ONLY} transaction and reads committed data. Failures are
 * {@link dev.stripeflare.StoreException}s.
 */
public final class PostgresAdmin {

    private final Transactions tx;
    private final Accounts accounts;
    private final String byBalance;
    private final String total;
    private final String count;
    private final String perDay;
    private final Runnable ensureOpen;

    PostgresAdmin(Sql sql, Transactions tx, Accounts accounts, Runnable ensureOpen) {
        this.tx = tx;
        this.accounts = accounts;
        this.ensureOpen = ensureOpen;
        byBalance = sql.of("SELECT user_id, balance, email, created_at FROM @accounts"
                + " ORDER BY balance DESC, user_id LIMIT :limit");
        total = sql.of("SELECT coalesce(sum(balance), 0) FROM @accounts");
        count = sql.of("SELECT count(*) FROM @accounts");
        // Totals kept per day by a trigger on every ledger insert (schema version 3), not a ledger scan.
        perDay = sql.of("SELECT day, sum(credits), sum(debits), sum(entries) FROM @daily_totals"
                + " WHERE day >= :from AND day <= :to GROUP BY day HAVING sum(entries) > 0 ORDER BY day");
    }

    /**
     * The {@code limit} accounts with the highest balance, highest first (ties by id).
     *
     * @param limit how many accounts at most
     * @return the accounts, highest balance first
     * @throws IllegalArgumentException unless {@code 1 <= limit <= 10_000}
     */
    public List<AccountBalance> usersByBalance(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1..10000, was " + limit);
        }
        return read("listing accounts by balance", h -> h.createQuery(byBalance).bind("limit", limit)
                .map((rs, ctx) -> new AccountBalance(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Sql.fromDb(rs.getObject(4, OffsetDateTime.class)))).list());
    }

    /**
     * The sum of all balances in cents (what the wallet owes its users).
     *
     * @return the sum of every balance, in cents
     */
    public long totalBalanceCents() {
        return read("summing balances", h -> h.createQuery(total).mapTo(Long.class).one());
    }

    /**
     * How many accounts exist.
     *
     * @return how many accounts there are
     */
    public long userCount() {
        return read("counting accounts", h -> h.createQuery(count).mapTo(Long.class).one());
    }

    /**
     * The account's ledger, oldest first; empty for an unknown account.
     *
     * @param userId the account's id
     * @return its entries, oldest first
     */
    public List<LedgerEntry> ledger(long userId) {
        return read("reading a ledger", h -> accounts.ledger(h, userId));
    }

    /**
     * Per UTC day from {@code from} to {@code to} inclusive, the money credited and debited;
     * days without entries are left out. Read from totals a trigger keeps with every ledger
     * entry (one row per day and shard, not a ledger scan); they also count the entries of
     * accounts deleted since (that money did move).
     *
     * @param from the first day (UTC)
     * @param to   the last day (UTC)
     * @return the totals, one per day and kind
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public List<DailyTotal> totalsPerDay(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        return read("totalling days", h -> h.createQuery(perDay).bind("from", from).bind("to", to)
                .map((rs, ctx) -> new DailyTotal(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4))).list());
    }

    private <T> T read(String what, Function<Handle, T> query) {
        ensureOpen.run();
        return tx.inTransaction(what, false, h -> {
            h.execute("SET TRANSACTION READ ONLY");
            T result = query.apply(h);
            h.rollback();
            return result;
        });
    }
}
