package dev.stripeflare.store.postgres;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Grants of free credit (ADR 33): the grants table, one row per grant (kept after its account is
 * deleted, so its operation id stays applied), and on accounts the unspent total
 * ({@code granted}) and the earliest expiry of a grant with credit left ({@code grant_expires}).
 * A charge's one-statement debit runs only where {@code granted = 0}; the others take
 * {@link #charge}: lock the account row, expire what is due, check, debit, spend grants in order.
 * Every step locks the account row first, as every balance change does. Stateless apart from SQL.
 */
final class GrantSteps {

    /** An account row locked for this transaction. */
    private static final class Locked {
        final long userId;
        long balance;
        long granted;
        Instant nextExpiry;
        long held;
        Instant nextHoldExpiry;

        Locked(long userId, long balance, long granted, Instant nextExpiry, long held, Instant nextHoldExpiry) {
            this.userId = userId;
            this.balance = balance;
            this.granted = granted;
            this.nextExpiry = nextExpiry;
            this.held = held;
            this.nextHoldExpiry = nextHoldExpiry;
        }
    }

    private final String lock;
    private final String due;
    private final String spendable;
    private final String end;
    private final String setRemaining;
    private final String setAccount;
    private final String prior;
    private final String setBalances;
    private final String insert;
    private final String one;
    private final String all;
    private final String accountsDue;
    private final String ledger;
    private final HoldSteps holds;

    GrantSteps(Sql sql) {
        holds = new HoldSteps(sql, this);
        lock = sql.of("SELECT balance, granted, grant_expires, held, hold_expires FROM @accounts WHERE user_id = :id"
                + " FOR NO KEY UPDATE");
        due = sql.of("SELECT operation_id, expires_at FROM @grants WHERE user_id = :id AND status = 'ACTIVE'"
                + " AND expires_at <= :at ORDER BY expires_at, seq");
        spendable = sql.of("SELECT operation_id, remaining FROM @grants WHERE user_id = :id AND status = 'ACTIVE'"
                + " AND remaining > 0 ORDER BY expires_at NULLS LAST, seq");
        end = sql.of("UPDATE @grants SET status = :status, ended = remaining, remaining = 0"
                + " WHERE operation_id = :op RETURNING ended");
        setRemaining = sql.of("UPDATE @grants SET remaining = :remaining WHERE operation_id = :op");
        setAccount = sql.of("UPDATE @accounts SET balance = :balance, granted = :granted,"
                + " grant_expires = (SELECT min(expires_at) FROM @grants WHERE user_id = :id AND status = 'ACTIVE'"
                + " AND remaining > 0) WHERE user_id = :id");
        // When no grant ran out, the earliest expiry stays: no need to look for it again.
        setBalances = sql.of("UPDATE @accounts SET balance = :balance, granted = :granted WHERE user_id = :id");
        prior = sql.of("SELECT user_id, amount FROM @grants WHERE operation_id = :op");
        insert = sql.of("INSERT INTO @grants (operation_id, user_id, amount, remaining, expires_at, granted_at,"
                + " reason, status) VALUES (:op, :id, :amount, :amount, :expires, :at, :reason, 'ACTIVE')");
        one = sql.of("SELECT status FROM @grants WHERE user_id = :id AND operation_id = :op");
        all = sql.of("SELECT g.operation_id, g.reason, g.amount, g.remaining, g.ended, g.expires_at, g.granted_at,"
                + " g.status FROM @grants g JOIN @accounts a ON a.user_id = g.user_id WHERE g.user_id = :id"
                + " ORDER BY g.seq");
        accountsDue = sql.of("SELECT DISTINCT user_id FROM @grants WHERE status = 'ACTIVE' AND expires_at <= :at"
                + " ORDER BY user_id");
        ledger = sql.of("INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " VALUES (:id, :amount, :after, :kind, :op, :memo, :at)");
    }

    /**
     * A charge of an account that holds grant credit (or may: checked under the lock): expires
     * what is due, then checks, debits, spends grants in order and writes the CHARGE entry. The
     * caller records the idempotency key, and rolls back a declined keyed charge.
     */
    ChargeResult charge(Handle h, long userId, Debit debit) {
        return charge(h, userId, debit, null, null);
    }

    /** As above; adds the grants it expired to {@code expiredSink} unless that is null. */
    ChargeResult charge(Handle h, long userId, Debit debit, List<ExpiredGrant> expiredSink) {
        return charge(h, userId, debit, null, expiredSink);
    }

    /** The holds' steps, which share this account lock and the capture's debit (ADR 34). */
    HoldSteps holds() {
        return holds;
    }

    /**
     * As {@link #charge(Handle, long, Debit)}, with the CHARGE entry under {@code operationId} (a
     * hold's capture, ADR 34, or null) and the grants it expired added to {@code expiredSink}
     * unless that is null. Without overdraft the check is on the balance less what the account's
     * holds reserve, after releasing holds past their expiry when that is short.
     */
    ChargeResult charge(Handle h, long userId, Debit debit, String operationId, List<ExpiredGrant> expiredSink) {
        Locked account = lock(h, userId);
        if (account == null) {
            return ChargeResult.notRegistered();
        }
        if (account.nextExpiry != null && !account.nextExpiry.isAfter(debit.at())) {
            List<ExpiredGrant> expired = expireDue(h, account, debit.at());
            if (expiredSink != null) {
                expiredSink.addAll(expired);
            }
        }
        if (!debit.allowNegativeBalance() && account.balance - account.held < debit.amountCents()
                && account.nextHoldExpiry != null && !account.nextHoldExpiry.isAfter(debit.at())) {
            account.held = holds.expireDue(h, userId, account.held, debit.at()).heldAfter();
        }
        if (!debit.allowNegativeBalance() && account.balance - account.held < debit.amountCents()) {
            return ChargeResult.insufficientBalance(account.balance);
        }
        long after = minus(account.balance, debit.amountCents());
        long left = debit.amountCents();
        boolean ranOut = false;
        if (account.granted > 0) {
            List<Object[]> rows = h.createQuery(spendable).bind("id", userId)
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2)}).list();
            for (Object[] row : rows) {
                if (left == 0) {
                    break;
                }
                long remaining = (Long) row[1];
                long take = Math.min(left, remaining);
                left -= take;
                ranOut |= take == remaining;
                h.createUpdate(setRemaining).bind("remaining", remaining - take).bind("op", (String) row[0]).execute();
            }
            account.granted -= debit.amountCents() - left;
        }
        account.balance = after;
        if (ranOut) {
            store(h, account);
        } else {
            h.createUpdate(setBalances).bind("balance", account.balance).bind("granted", account.granted)
                    .bind("id", userId).execute();
        }
        ledger(h, userId, -debit.amountCents(), after, LedgerEntryKind.CHARGE, operationId, debit.memo(),
                debit.at());
        return ChargeResult.charged(after);
    }

    GrantChange grant(Handle h, CreditGrant grant) {
        Optional<long[]> earlier = h.createQuery(prior).bind("op", grant.operationId())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne();
        if (earlier.isPresent()) {
            long userId = earlier.get()[0];
            Locked account = lock(h, userId);
            return new GrantChange(GrantChange.Status.DUPLICATE, userId, earlier.get()[1],
                    account == null ? 0 : account.balance, account == null ? 0 : account.granted);
        }
        Locked account = lock(h, grant.userId());
        if (account == null) {
            return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grant.userId(), 0, 0, 0);
        }
        long after = plus(account.balance, grant.amountCents());
        long grantedAfter = plus(account.granted, grant.amountCents());
        h.createUpdate(insert).bind("op", grant.operationId()).bind("id", grant.userId())
                .bind("amount", grant.amountCents())
                .bindByType("expires", grant.expiresAt() == null ? null : Sql.toDb(grant.expiresAt()),
                        OffsetDateTime.class)
                .bind("at", grant.at()).bind("reason", grant.reason()).execute();
        account.balance = after;
        account.granted = grantedAfter;
        store(h, account);
        ledger(h, account.userId, grant.amountCents(), after, LedgerEntryKind.GRANT, grant.operationId(),
                grant.reason(), grant.at());
        return new GrantChange(GrantChange.Status.APPLIED, account.userId, grant.amountCents(), after, grantedAfter);
    }

    GrantChange voidGrant(Handle h, GrantVoid grantVoid) {
        Locked account = lock(h, grantVoid.userId());
        if (account == null) {
            return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grantVoid.userId(), 0, 0, 0);
        }
        Optional<String> status = h.createQuery(one).bind("id", account.userId)
                .bind("op", grantVoid.grantOperationId()).mapTo(String.class).findOne();
        if (status.isEmpty()) {
            return new GrantChange(GrantChange.Status.NOT_FOUND, account.userId, 0, account.balance, account.granted);
        }
        if (!"ACTIVE".equals(status.get())) {
            return new GrantChange(GrantChange.Status.ENDED, account.userId, 0, account.balance, account.granted);
        }
        long voided = end(h, account, grantVoid.grantOperationId(), Grant.Status.VOIDED);
        store(h, account);
        if (voided > 0) {
            ledger(h, account.userId, -voided, account.balance, LedgerEntryKind.GRANT_VOIDED,
                    grantVoid.grantOperationId(), grantVoid.memo(), grantVoid.at());
        }
        return new GrantChange(GrantChange.Status.APPLIED, account.userId, voided, account.balance, account.granted);
    }

    List<ExpiredGrant> expire(Handle h, long userId, Instant at) {
        Locked account = lock(h, userId);
        return account == null ? List.of() : expireDue(h, account, at);
    }

    List<Long> accountsDue(Handle h, Instant at) {
        return h.createQuery(accountsDue).bind("at", at).mapTo(Long.class).list();
    }

    List<Grant> all(Handle h, long userId) {
        return List.copyOf(h.createQuery(all).bind("id", userId).map((rs, ctx) -> {
            OffsetDateTime expires = rs.getObject(6, OffsetDateTime.class);
            return new Grant(userId, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    Optional.ofNullable(expires).map(Sql::fromDb), Sql.fromDb(rs.getObject(7, OffsetDateTime.class)),
                    Grant.Status.valueOf(rs.getString(8)));
        }).list());
    }

    private List<ExpiredGrant> expireDue(Handle h, Locked account, Instant at) {
        List<Object[]> rows = h.createQuery(due).bind("id", account.userId).bind("at", at)
                .map((rs, ctx) -> new Object[] {rs.getString(1), Sql.fromDb(rs.getObject(2, OffsetDateTime.class))})
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<ExpiredGrant> expired = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            String op = (String) row[0];
            long left = end(h, account, op, Grant.Status.EXPIRED);
            if (left > 0) {
                ledger(h, account.userId, -left, account.balance, LedgerEntryKind.GRANT_EXPIRED, op, "grant expired",
                        at);
            }
            expired.add(new ExpiredGrant(account.userId, op, left, account.balance, (Instant) row[1], at));
        }
        store(h, account);
        return expired;
    }

    private long end(Handle h, Locked account, String operationId, Grant.Status status) {
        long remaining = h.createQuery(end).bind("status", status.name()).bind("op", operationId)
                .mapTo(Long.class).one();
        account.balance -= remaining;
        account.granted -= remaining;
        return remaining;
    }

    private Locked lock(Handle h, long userId) {
        return h.createQuery(lock).bind("id", userId).map((rs, ctx) -> {
            OffsetDateTime next = rs.getObject(3, OffsetDateTime.class);
            OffsetDateTime nextHold = rs.getObject(5, OffsetDateTime.class);
            return new Locked(userId, rs.getLong(1), rs.getLong(2), next == null ? null : Sql.fromDb(next),
                    rs.getLong(4), nextHold == null ? null : Sql.fromDb(nextHold));
        }).findOne().orElse(null);
    }

    private void store(Handle h, Locked account) {
        h.createUpdate(setAccount).bind("balance", account.balance).bind("granted", account.granted)
                .bind("id", account.userId).execute();
    }

    private void ledger(Handle h, long userId, long amount, long balanceAfter, LedgerEntryKind kind,
                        String operationId, String memo, Instant at) {
        h.createUpdate(ledger).bind("id", userId).bind("amount", amount).bind("after", balanceAfter)
                .bind("kind", kind.name()).bind("op", operationId).bind("memo", memo).bind("at", at).execute();
    }

    private static long plus(long balance, long cents) {
        try {
            return Math.addExact(balance, cents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balance + " + " + cents + " cents overflows a long");
        }
    }

    private static long minus(long balance, long cents) {
        try {
            return Math.subtractExact(balance, cents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balance + " - " + cents + " cents overflows a long");
        }
    }
}
