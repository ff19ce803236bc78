package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grants of free credit (ADR 33): the GRANTS table, one row per grant, and on ACCOUNTS the unspent
 * total (GRANTED) and the earliest expiry of a grant with credit left (GRANT_EXPIRES). A charge's
 * one-statement debit also lowers GRANTED and reads the old value, so an account without grant
 * credit pays one column more; one with grant credit then takes it from the grant rows
 * ({@link #spend}). An account whose next expiry has passed takes {@link #charge} instead: lock the
 * account row, expire what is due, check, debit, spend. Every step here holds the ACCOUNTS row
 * lock before touching GRANTS rows, as every other balance change does. Plain JDBC on the
 * caller's connection, so the charge path can use the kept statements.
 */
final class Grants {

    /** Prepared statements on the transaction's connection. */
    @FunctionalInterface
    interface Statements {
        PreparedStatement get(String sql) throws SQLException;

        /**
         * Told the grants a charge expired in this transaction (ADR 33 addendum); the charge that
         * reports them reads them after its commit. Ignored by default.
         */
        default void expiredInCharge(List<ExpiredGrant> expired) {
        }
    }

    private static final String LOCK_ACCOUNT =
            "SELECT BALANCE, GRANTED, GRANT_EXPIRES, HELD, HOLD_EXPIRES FROM ACCOUNTS WHERE USER_ID = ? FOR UPDATE";
    private static final String DUE = "SELECT OPERATION_ID, REMAINING, EXPIRES_AT FROM GRANTS"
            + " WHERE USER_ID = ? AND STATUS = 'ACTIVE' AND EXPIRES_AT <= ? ORDER BY EXPIRES_AT, SEQ";
    private static final String SPENDABLE = "SELECT OPERATION_ID, REMAINING FROM GRANTS"
            + " WHERE USER_ID = ? AND STATUS = 'ACTIVE' AND REMAINING > 0 ORDER BY EXPIRES_AT NULLS LAST, SEQ";
    private static final String END = "UPDATE GRANTS SET STATUS = ?, ENDED = REMAINING, REMAINING = 0"
            + " WHERE OPERATION_ID = ?";
    private static final String SET_REMAINING = "UPDATE GRANTS SET REMAINING = ? WHERE OPERATION_ID = ?";
    private static final String SET_ACCOUNT = "UPDATE ACCOUNTS SET BALANCE = ?, GRANTED = ?,"
            + " GRANT_EXPIRES = (SELECT MIN(EXPIRES_AT) FROM GRANTS WHERE USER_ID = ? AND STATUS = 'ACTIVE'"
            + " AND REMAINING > 0) WHERE USER_ID = ?";
    // When no grant ran out, the earliest expiry stays: no need to look for it again.
    private static final String SET_BALANCES = "UPDATE ACCOUNTS SET BALANCE = ?, GRANTED = ? WHERE USER_ID = ?";
    private static final String SET_NEXT_EXPIRY = "UPDATE ACCOUNTS SET GRANT_EXPIRES = (SELECT MIN(EXPIRES_AT)"
            + " FROM GRANTS WHERE USER_ID = ? AND STATUS = 'ACTIVE' AND REMAINING > 0) WHERE USER_ID = ?";
    private static final String PRIOR = "SELECT USER_ID, AMOUNT FROM GRANTS WHERE OPERATION_ID = ?";
    private static final String INSERT = "INSERT INTO GRANTS (OPERATION_ID, USER_ID, AMOUNT, REMAINING, EXPIRES_AT,"
            + " GRANTED_AT, REASON, STATUS) VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE')";
    private static final String ONE = "SELECT STATUS FROM GRANTS WHERE USER_ID = ? AND OPERATION_ID = ?";
    private static final String ALL = "SELECT G.OPERATION_ID, G.REASON, G.AMOUNT, G.REMAINING, G.ENDED,"
            + " G.EXPIRES_AT, G.GRANTED_AT, G.STATUS FROM GRANTS G JOIN ACCOUNTS A ON A.USER_ID = G.USER_ID"
            + " WHERE G.USER_ID = ? ORDER BY G.SEQ";
    private static final String ACCOUNTS_DUE = "SELECT DISTINCT USER_ID FROM GRANTS"
            + " WHERE STATUS = 'ACTIVE' AND EXPIRES_AT <= ? ORDER BY USER_ID";
    private static final String INSERT_LEDGER = "INSERT INTO LEDGER"
            + " (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** A unit of grant work. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Statements statements) throws SQLException;
    }

    /** Runs {@code work} on statements prepared on {@code connection}, closed after it. */
    static <T> T oneOff(Connection connection, Work<T> work) {
        try (OneOff statements = new OneOff(connection)) {
            return work.apply(statements);
        } catch (SQLException e) {
            throw new StatementCache.Failure(e);
        }
    }

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

    private Grants() {
    }

    /** Statements prepared on {@code connection} for one unit of work, closed by {@link #close}. */
    static final class OneOff implements Statements, AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> open = new HashMap<>();

        OneOff(Connection connection) {
            this.connection = connection;
        }

        @Override
        public PreparedStatement get(String sql) throws SQLException {
            PreparedStatement statement = open.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                open.put(sql, statement);
            }
            return statement;
        }

        @Override
        public void close() {
            for (PreparedStatement statement : open.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing a statement of a connection that stays open; nothing to undo
                }
            }
        }
    }

    /**
     * A charge of an account that holds grant credit (or may: it is checked under the lock):
     * expires what is due, then checks, debits, spends grants in order and writes the CHARGE entry.
     * The caller records the idempotency key.
     */
    static ChargeResult charge(Statements s, long userId, Debit debit) throws SQLException {
        return charge(s, userId, debit, null);
    }

    /**
     * As {@link #charge(Statements, long, Debit)}, with the CHARGE entry under {@code operationId}
     * (a hold's capture, ADR 34). Without overdraft the check is on the balance less what the
     * account's holds reserve, after releasing holds past their expiry when that is short.
     */
    static ChargeResult charge(Statements s, long userId, Debit debit, String operationId) throws SQLException {
        Locked account = lock(s, userId);
        if (account == null) {
            return ChargeResult.notRegistered();
        }
        if (account.nextExpiry != null && !account.nextExpiry.isAfter(debit.at())) {
            s.expiredInCharge(expireDue(s, account, debit.at()));
        }
        if (!debit.allowNegativeBalance() && account.balance - account.held < debit.amountCents()
                && account.nextHoldExpiry != null && !account.nextHoldExpiry.isAfter(debit.at())) {
            account.held = Holds.expireDue(s, userId, account.held, debit.at()).heldAfter();
        }
        if (!debit.allowNegativeBalance() && account.balance - account.held < debit.amountCents()) {
            return ChargeResult.insufficientBalance(account.balance);
        }
        long after = minus(account.balance, debit.amountCents());
        long left = debit.amountCents();
        boolean ranOut = false;
        if (account.granted > 0) {
            List<String> ids = new ArrayList<>();
            List<Long> remaining = new ArrayList<>();
            PreparedStatement spendable = s.get(SPENDABLE);
            spendable.setLong(1, userId);
            try (ResultSet rs = spendable.executeQuery()) {
                while (rs.next() && left > 0) {
                    long take = Math.min(left, rs.getLong(2));
                    left -= take;
                    ids.add(rs.getString(1));
                    remaining.add(rs.getLong(2) - take);
                    ranOut |= rs.getLong(2) == take;
                }
            }
            PreparedStatement set = s.get(SET_REMAINING);
            for (int i = 0; i < ids.size(); i++) {
                set.setLong(1, remaining.get(i));
                set.setString(2, ids.get(i));
                set.executeUpdate();
            }
            account.granted -= debit.amountCents() - left;
        }
        account.balance = after;
        if (ranOut) {
            store(s, account);
        } else {
            PreparedStatement set = s.get(SET_BALANCES);
            set.setLong(1, account.balance);
            set.setLong(2, account.granted);
            set.setLong(3, userId);
            set.executeUpdate();
        }
        ledger(s, userId, -debit.amountCents(), after, LedgerEntryKind.CHARGE, operationId,
                debit.memo(), debit.at());
        return ChargeResult.charged(after);
    }

    /**
     * After the one-statement debit took {@code spentCents} of the account's grant credit (its row
     * is locked by that UPDATE): takes them from the grants in spending order, and looks up the
     * next expiry again when a grant ran out.
     */
    static void spend(Statements s, long userId, long spentCents) throws SQLException {
        long left = spentCents;
        boolean ranOut = false;
        List<String> ids = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        PreparedStatement spendable = s.get(SPENDABLE);
        spendable.setLong(1, userId);
        try (ResultSet rs = spendable.executeQuery()) {
            while (left > 0 && rs.next()) {
                long take = Math.min(left, rs.getLong(2));
                left -= take;
                ids.add(rs.getString(1));
                remaining.add(rs.getLong(2) - take);
                ranOut |= rs.getLong(2) == take;
            }
        }
        PreparedStatement set = s.get(SET_REMAINING);
        for (int i = 0; i < ids.size(); i++) {
            set.setLong(1, remaining.get(i));
            set.setString(2, ids.get(i));
            set.executeUpdate();
        }
        if (ranOut) {
            PreparedStatement next = s.get(SET_NEXT_EXPIRY);
            next.setLong(1, userId);
            next.setLong(2, userId);
            next.executeUpdate();
        }
    }

    static GrantChange grant(Statements s, CreditGrant grant) throws SQLException {
        GrantChange duplicate = priorGrant(s, grant.operationId(), null);
        if (duplicate != null) {
            return duplicate;
        }
        Locked account = lock(s, grant.userId());
        if (account == null) {
            return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grant.userId(), 0, 0, 0);
        }
        // Again under the account's lock: a racing grant of the same id (an allowance from 8
        // threads) committed while this one waited. Answering it here keeps this transaction
        // from failing on the key after it locked the hot row (the H2 anomaly of ADR 24).
        duplicate = priorGrant(s, grant.operationId(), account);
        if (duplicate != null) {
            return duplicate;
        }
        long after = plus(account.balance, grant.amountCents());
        long grantedAfter = plus(account.granted, grant.amountCents());
        PreparedStatement insert = s.get(INSERT);
        insert.setString(1, grant.operationId());
        insert.setLong(2, grant.userId());
        insert.setLong(3, grant.amountCents());
        insert.setLong(4, grant.amountCents());
        insert.setObject(5, grant.expiresAt() == null ? null : Sql.toDb(grant.expiresAt()), Types.TIMESTAMP);
        insert.setObject(6, Sql.toDb(grant.at()));
        insert.setString(7, grant.reason());
        insert.executeUpdate();
        account.balance = after;
        account.granted = grantedAfter;
        store(s, account);
        ledger(s, account.userId, grant.amountCents(), after, LedgerEntryKind.GRANT, grant.operationId(),
                grant.reason(), grant.at());
        return new GrantChange(GrantChange.Status.APPLIED, account.userId, grant.amountCents(), after, account.granted);
    }

    /**
     * The answer for a grant id already applied, or null. {@code locked} is the account this
     * transaction holds, or null; another account is locked (or read when it is gone).
     */
    private static GrantChange priorGrant(Statements s, String operationId, Locked locked) throws SQLException {
        PreparedStatement prior = s.get(PRIOR);
        prior.setString(1, operationId);
        long userId;
        long cents;
        try (ResultSet rs = prior.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            userId = rs.getLong(1);
            cents = rs.getLong(2);
        }
        Locked account = locked != null && locked.userId == userId ? locked : lock(s, userId);
        return new GrantChange(GrantChange.Status.DUPLICATE, userId, cents,
                account == null ? 0 : account.balance, account == null ? 0 : account.granted);
    }

    static GrantChange voidGrant(Statements s, GrantVoid grantVoid) throws SQLException {
        Locked account = lock(s, grantVoid.userId());
        if (account == null) {
            return new GrantChange(GrantChange.Status.NO_SUCH_ACCOUNT, grantVoid.userId(), 0, 0, 0);
        }
        PreparedStatement one = s.get(ONE);
        one.setLong(1, account.userId);
        one.setString(2, grantVoid.grantOperationId());
        String status;
        try (ResultSet rs = one.executeQuery()) {
            if (!rs.next()) {
                return new GrantChange(GrantChange.Status.NOT_FOUND, account.userId, 0, account.balance,
                        account.granted);
            }
            status = rs.getString(1);
        }
        if (!"ACTIVE".equals(status)) {
            return new GrantChange(GrantChange.Status.ENDED, account.userId, 0, account.balance, account.granted);
        }
        long voided = end(s, account, grantVoid.grantOperationId(), Grant.Status.VOIDED);
        store(s, account);
        if (voided > 0) {
            ledger(s, account.userId, -voided, account.balance, LedgerEntryKind.GRANT_VOIDED,
                    grantVoid.grantOperationId(), grantVoid.memo(), grantVoid.at());
        }
        return new GrantChange(GrantChange.Status.APPLIED, account.userId, voided, account.balance, account.granted);
    }

    static List<ExpiredGrant> expire(Statements s, long userId, Instant at) throws SQLException {
        Locked account = lock(s, userId);
        return account == null ? List.of() : expireDue(s, account, at);
    }

    static List<Long> accountsDue(Statements s, Instant at) throws SQLException {
        PreparedStatement due = s.get(ACCOUNTS_DUE);
        due.setObject(1, Sql.toDb(at));
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = due.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static List<Grant> all(Statements s, long userId) throws SQLException {
        PreparedStatement all = s.get(ALL);
        all.setLong(1, userId);
        List<Grant> grants = new ArrayList<>();
        try (ResultSet rs = all.executeQuery()) {
            while (rs.next()) {
                LocalDateTime expires = rs.getObject(6, LocalDateTime.class);
                grants.add(new Grant(userId, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), Optional.ofNullable(expires).map(Sql::fromDb),
                        Sql.fromDb(rs.getObject(7, LocalDateTime.class)), Grant.Status.valueOf(rs.getString(8))));
            }
        }
        return List.copyOf(grants);
    }

    /** Expires the locked account's due grants and stores its balance; returns them. */
    private static List<ExpiredGrant> expireDue(Statements s, Locked account, Instant at) throws SQLException {
        PreparedStatement due = s.get(DUE);
        due.setLong(1, account.userId);
        due.setObject(2, Sql.toDb(at));
        List<String> ids = new ArrayList<>();
        List<Instant> expiries = new ArrayList<>();
        try (ResultSet rs = due.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
                expiries.add(Sql.fromDb(rs.getObject(3, LocalDateTime.class)));
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<ExpiredGrant> expired = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            long left = end(s, account, ids.get(i), Grant.Status.EXPIRED);
            if (left > 0) {
                ledger(s, account.userId, -left, account.balance, LedgerEntryKind.GRANT_EXPIRED, ids.get(i),
                        "grant expired", at);
            }
            expired.add(new ExpiredGrant(account.userId, ids.get(i), left, account.balance, expiries.get(i), at));
        }
        store(s, account);
        return expired;
    }

    /** Ends one ACTIVE grant of the locked account; takes its remainder from the in-memory row. */
    private static long end(Statements s, Locked account, String operationId, Grant.Status status)
            throws SQLException {
        PreparedStatement read = s.get(PRIOR.replace("USER_ID, AMOUNT", "REMAINING"));
        read.setString(1, operationId);
        long remaining;
        try (ResultSet rs = read.executeQuery()) {
            rs.next();
            remaining = rs.getLong(1);
        }
        PreparedStatement end = s.get(END);
        end.setString(1, status.name());
        end.setString(2, operationId);
        end.executeUpdate();
        account.balance -= remaining;
        account.granted -= remaining;
        return remaining;
    }

    private static Locked lock(Statements s, long userId) throws SQLException {
        PreparedStatement lock = s.get(LOCK_ACCOUNT);
        lock.setLong(1, userId);
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            LocalDateTime next = rs.getObject(3, LocalDateTime.class);
            LocalDateTime nextHold = rs.getObject(5, LocalDateTime.class);
            return new Locked(userId, rs.getLong(1), rs.getLong(2), next == null ? null : Sql.fromDb(next),
                    rs.getLong(4), nextHold == null ? null : Sql.fromDb(nextHold));
        }
    }

    private static void store(Statements s, Locked account) throws SQLException {
        PreparedStatement set = s.get(SET_ACCOUNT);
        set.setLong(1, account.balance);
        set.setLong(2, account.granted);
        set.setLong(3, account.userId);
        set.setLong(4, account.userId);
        set.executeUpdate();
    }

    /** Appends a ledger entry and adds it to its day's totals: every ledger write on kept statements. */
    static void ledger(Statements s, long userId, long amount, long balanceAfter, LedgerEntryKind kind,
                               String operationId, String memo, Instant at) throws SQLException {
        PreparedStatement ledger = s.get(INSERT_LEDGER);
        ledger.setLong(1, userId);
        ledger.setLong(2, amount);
        ledger.setLong(3, balanceAfter);
        ledger.setString(4, kind.name());
        ledger.setString(5, operationId);
        ledger.setString(6, memo);
        ledger.setObject(7, Sql.toDb(at));
        ledger.executeUpdate();
        DailyTotals.add(s, userId, amount, DailyTotals.dayOf(at));
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
