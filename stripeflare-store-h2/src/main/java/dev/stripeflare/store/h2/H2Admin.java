package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Typed, read-only queries over every account of an {@link H2UserStore}, for dashboards and
 * support. No SQL is accepted from the caller. Thread-safe; each call reads committed data in
 * its own transaction. Failures are {@link StoreException}s.
 */
public final class H2Admin {

    private final HandlePool pool;

    H2Admin(HandlePool pool) {
        this.pool = pool;
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
        return read("listing users by balance", q -> q.usersByBalance(limit));
    }

    /**
     * The sum of all balances in cents (what the wallet owes its users).
     *
     * @return the sum of every balance, in cents
     */
    public long totalBalanceCents() {
        return read("summing balances", AdminQueries::totalBalanceCents);
    }

    /**
     * How many accounts exist.
     *
     * @return how many accounts there are
     */
    public long userCount() {
        return read("counting users", AdminQueries::userCount);
    }

    /**
     * The account's ledger, oldest first; empty for an unknown account.
     *
     * @param userId the account's id
     * @return its entries, oldest first
     */
    public List<LedgerEntry> ledger(long userId) {
        return pool.inTransaction("reading a ledger", h -> AccountReads.ledger(h, userId));
    }

    /**
     * Per UTC day from {@code from} to {@code to} inclusive, the money credited and debited;
     * days without entries are left out. Read from totals kept with every ledger entry (one
     * row per day and shard, not a ledger scan), so a year takes milliseconds at any number of
     * entries; they also count the entries of accounts deleted since (that money did move).
     *
     * @param from the first day (UTC)
     * @param to   the last day (UTC)
     * @return the totals, one per day and kind
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public List<DailyTotal> totalsPerDay(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
        }
        return read("totalling per day", q -> q.totalsPerDay(from, to));
    }

    private <T> T read(String what, Function<AdminQueries, T> query) {
        return pool.inTransaction(what, (Handle h) -> query.apply(h.attach(AdminQueries.class)));
    }
}
