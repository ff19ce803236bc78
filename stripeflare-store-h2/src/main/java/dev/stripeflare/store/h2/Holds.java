package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Holds (ADR 34): the HOLDS table, one row per hold, and on ACCOUNTS what the ACTIVE holds
 * reserve (HELD) and their earliest expiry (HOLD_EXPIRES). Every step locks the account row first
 * (as every balance change does), then reads and writes the hold's row, so a hold is changed by
 * one transaction at a time and a retried capture sees the first one's result. Plain JDBC on the
 * caller's kept statements, like charges.
 */
final class Holds {

    /** What expiring an account's due holds did: the holds, and what the account holds after. */
    record Expired(List<HoldState> holds, long heldAfter) {
    }

    private static final String COLUMNS = "HOLD_ID, USER_ID, AMOUNT, CAPTURED, OVERDRAFT, STATUS, MEMO, CREATED_AT,"
            + " EXPIRES_AT, CLOSED_AT";
    private static final String LOCKED_COLUMNS = "SELECT BALANCE, HELD, HOLD_EXPIRES, GRANTED, GRANT_EXPIRES, USER_ID"
            + " FROM ACCOUNTS WHERE USER_ID = ";
    private static final String LOCK = LOCKED_COLUMNS + "? FOR UPDATE";
    // The account found and locked in one statement: by token, or as the owner of a hold.
    private static final String LOCK_BY_TOKEN = LOCKED_COLUMNS
            + "(SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?) FOR UPDATE";
    private static final String LOCK_OWNER = LOCKED_COLUMNS + "(SELECT USER_ID FROM HOLDS WHERE HOLD_ID = ?) FOR UPDATE";
    private static final String BY_KEY = "SELECT " + COLUMNS + " FROM HOLDS WHERE USER_ID = ? AND IDEM_KEY = ?";
    private static final String ONE = "SELECT " + COLUMNS + " FROM HOLDS WHERE HOLD_ID = ?";
    // The new row's id from the same statement (a data change delta table).
    private static final String INSERT = "SELECT HOLD_ID FROM FINAL TABLE (INSERT INTO HOLDS (HOLD_ID, USER_ID, AMOUNT,"
            + " OVERDRAFT, STATUS, MEMO, IDEM_KEY, CREATED_AT, EXPIRES_AT)"
            + " VALUES (NEXT VALUE FOR HOLD_IDS, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?))";
    private static final String SET = "UPDATE HOLDS SET CAPTURED = ?, STATUS = ?, CLOSED_AT = ? WHERE HOLD_ID = ?";
    private static final String HELD_AFTER_RESERVE = "UPDATE ACCOUNTS SET HELD = ?,"
            + " HOLD_EXPIRES = LEAST(COALESCE(HOLD_EXPIRES, ?), ?) WHERE USER_ID = ?";
    private static final String HELD = "UPDATE ACCOUNTS SET HELD = ? WHERE USER_ID = ?";
    private static final String HELD_AND_EXPIRY = "UPDATE ACCOUNTS SET HELD = ?, HOLD_EXPIRES = (SELECT"
            + " MIN(EXPIRES_AT) FROM HOLDS WHERE USER_ID = ? AND STATUS = 'ACTIVE') WHERE USER_ID = ?";
    private static final String DEBIT = "UPDATE ACCOUNTS SET BALANCE = ?, HELD = ? WHERE USER_ID = ?";
    private static final String DEBIT_AND_EXPIRY = "UPDATE ACCOUNTS SET BALANCE = ?, HELD = ?, HOLD_EXPIRES = (SELECT"
            + " MIN(EXPIRES_AT) FROM HOLDS WHERE USER_ID = ? AND STATUS = 'ACTIVE') WHERE USER_ID = ?";
    private static final String DUE = "SELECT " + COLUMNS + " FROM HOLDS WHERE USER_ID = ? AND STATUS = 'ACTIVE'"
            + " AND EXPIRES_AT <= ? ORDER BY HOLD_ID";
    private static final String ALL = "SELECT " + COLUMNS + " FROM HOLDS WHERE USER_ID = ? ORDER BY HOLD_ID";
    private static final String ACCOUNTS_DUE = "SELECT DISTINCT USER_ID FROM HOLDS WHERE STATUS = 'ACTIVE'"
            + " AND EXPIRES_AT <= ? ORDER BY USER_ID";

    /** An account row locked for this transaction. */
    private static final class Locked {
        final long userId;
        long balance;
        long held;
        Instant nextHoldExpiry;
        long granted;
        Instant nextGrantExpiry;

        Locked(long userId) {
            this.userId = userId;
        }

        long available() {
            return balance - held;
        }
    }

    private Holds() {
    }

    static HoldChange reserve(Grants.Statements s, Reservation reservation) throws SQLException {
        Locked account = reservation.byUserId() ? lock(s, reservation.userId())
                : lock(s, LOCK_BY_TOKEN, reservation.tokenHash());
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_REGISTERED);
        }
        long userId = account.userId;
        if (reservation.idempotencyKey() != null) {
            PreparedStatement byKey = s.get(BY_KEY);
            byKey.setLong(1, userId);
            byKey.setString(2, reservation.idempotencyKey());
            HoldState prior = single(byKey);
            if (prior != null) {
                if (prior.amountCents() != reservation.amountCents()) {
                    throw new IdempotencyKeyReusedException("idempotency key already reserved "
                            + prior.amountCents() + " cents, not " + reservation.amountCents());
                }
                return change(HoldOutcome.REPLAYED, prior, 0, account);
            }
        }
        if (due(account.nextHoldExpiry, reservation.at())) {
            account.held = expireDue(s, userId, account.held, reservation.at()).heldAfter();
        }
        if (account.available() < reservation.amountCents()) {
            return change(HoldOutcome.INSUFFICIENT_BALANCE, null, 0, account);
        }
        PreparedStatement insert = s.get(INSERT);
        insert.setLong(1, userId);
        insert.setLong(2, reservation.amountCents());
        insert.setBoolean(3, reservation.allowOverdraft());
        insert.setString(4, reservation.memo());
        insert.setString(5, reservation.idempotencyKey());
        insert.setObject(6, Sql.toDb(reservation.at()));
        insert.setObject(7, Sql.toDb(reservation.expiresAt()));
        long holdId;
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            holdId = rs.getLong(1);
        }
        account.held += reservation.amountCents();
        PreparedStatement set = s.get(HELD_AFTER_RESERVE);
        set.setLong(1, account.held);
        set.setObject(2, Sql.toDb(reservation.expiresAt()));
        set.setObject(3, Sql.toDb(reservation.expiresAt()));
        set.setLong(4, userId);
        set.executeUpdate();
        HoldState hold = new HoldState(holdId, userId, reservation.amountCents(), 0, reservation.allowOverdraft(),
                HoldState.Status.ACTIVE, reservation.memo(), reservation.at(), reservation.expiresAt(), null);
        return change(HoldOutcome.RESERVED, hold, 0, account);
    }

    static HoldChange capture(Grants.Statements s, HoldCapture capture) throws SQLException {
        Locked account = lockOwner(s, capture.holdId());
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        HoldState hold = read(s, capture.holdId());
        long total = capture.totalCents();
        Instant at = capture.at();
        if (hold.active() && due(hold.expiresAt(), at)) {
            return close(s, account, hold, HoldState.Status.EXPIRED, HoldOutcome.EXPIRED, at);
        }
        switch (hold.status()) {
            case EXPIRED:
                return change(HoldOutcome.EXPIRED, hold, 0, account);
            case CAPTURED:
            case RELEASED:
                boolean same = capture.close() ? hold.status() == HoldState.Status.CAPTURED
                        && total == hold.capturedCents() : total <= hold.capturedCents();
                return change(same ? HoldOutcome.REPLAYED : HoldOutcome.CLOSED, hold, 0, account);
            default:
                break;
        }
        if (total < hold.capturedCents()) {
            return change(capture.close() ? HoldOutcome.BELOW_CAPTURED : HoldOutcome.REPLAYED, hold, 0, account);
        }
        if (total > hold.amountCents() && !hold.allowOverdraft()) {
            return change(HoldOutcome.EXCEEDS_HOLD, hold, 0, account);
        }
        long step = total - hold.capturedCents();
        if (step == 0 && !capture.close()) {
            return change(HoldOutcome.REPLAYED, hold, 0, account);
        }
        HoldState.Status status = capture.close() ? HoldState.Status.CAPTURED : HoldState.Status.ACTIVE;
        HoldState after = new HoldState(hold.holdId(), hold.userId(), hold.amountCents(), total, hold.allowOverdraft(),
                status, hold.memo(), hold.createdAt(), hold.expiresAt(), capture.close() ? at : null);
        long heldAfter = account.held - hold.heldCents() + after.heldCents();
        if (step > 0) {
            if (due(account.nextGrantExpiry, at)) {
                Grants.expire(s, account.userId, at);
                account = lock(s, account.userId);
            }
            // Against the balance less the account's other holds: this hold's money is the capture's.
            if (!hold.allowOverdraft() && account.balance - (account.held - hold.heldCents()) < step) {
                return change(HoldOutcome.INSUFFICIENT_BALANCE, hold, 0, account);
            }
            minus(account.balance, step);
            if (account.granted > 0) {
                // Spends grants first, like a charge; no hold check: this one was made above.
                ChargeResult charged = Grants.charge(s, account.userId,
                        Debit.ofUser(account.userId, step, true, null, hold.memo(), at), "hold:" + hold.holdId());
                account.balance = charged.balanceCents();
                write(s, after);
                setHeld(s, account.userId, heldAfter, capture.close());
                account.held = heldAfter;
                return change(HoldOutcome.CAPTURED, after, step, account);
            } else {
                account.balance -= step;
                PreparedStatement debit = s.get(capture.close() ? DEBIT_AND_EXPIRY : DEBIT);
                debit.setLong(1, account.balance);
                debit.setLong(2, heldAfter);
                debit.setLong(3, account.userId);
                if (capture.close()) {
                    debit.setLong(4, account.userId);
                }
                write(s, after);
                debit.executeUpdate();
                Grants.ledger(s, account.userId, -step, account.balance, LedgerEntryKind.CHARGE, "hold:" + hold.holdId(),
                        hold.memo(), at);
                account.held = heldAfter;
                return change(HoldOutcome.CAPTURED, after, step, account);
            }
        }
        write(s, after);
        setHeld(s, account.userId, heldAfter, capture.close());
        account.held = heldAfter;
        return change(HoldOutcome.CAPTURED, after, step, account);
    }

    static HoldChange release(Grants.Statements s, long holdId, Instant at) throws SQLException {
        Locked account = lockOwner(s, holdId);
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        HoldState hold = read(s, holdId);
        return switch (hold.status()) {
            case ACTIVE -> due(hold.expiresAt(), at)
                    ? close(s, account, hold, HoldState.Status.EXPIRED, HoldOutcome.EXPIRED, at)
                    : close(s, account, hold, HoldState.Status.RELEASED, HoldOutcome.RELEASED, at);
            case RELEASED -> change(HoldOutcome.REPLAYED, hold, 0, account);
            case EXPIRED -> change(HoldOutcome.EXPIRED, hold, 0, account);
            default -> change(HoldOutcome.CLOSED, hold, 0, account);
        };
    }

    /** Expires the account's due holds under its lock; empty when it has none or does not exist. */
    static List<HoldState> expire(Grants.Statements s, long userId, Instant at) throws SQLException {
        Locked account = lock(s, userId);
        if (account == null || !due(account.nextHoldExpiry, at)) {
            return List.of();
        }
        return expireDue(s, userId, account.held, at).holds();
    }

    /**
     * Expires the ACTIVE holds of the account (whose row the caller has locked, holding
     * {@code held}) due at {@code at}, and stores what it holds after.
     */
    static Expired expireDue(Grants.Statements s, long userId, long held, Instant at) throws SQLException {
        PreparedStatement due = s.get(DUE);
        due.setLong(1, userId);
        due.setObject(2, Sql.toDb(at));
        List<HoldState> holds = list(due);
        List<HoldState> expired = new ArrayList<>(holds.size());
        long heldAfter = held;
        for (HoldState hold : holds) {
            HoldState closed = closed(hold, HoldState.Status.EXPIRED, at);
            write(s, closed);
            heldAfter -= hold.heldCents();
            expired.add(closed);
        }
        setHeld(s, userId, heldAfter, true);
        return new Expired(List.copyOf(expired), heldAfter);
    }

    static List<Long> accountsDue(Grants.Statements s, Instant at) throws SQLException {
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

    static List<HoldState> all(Grants.Statements s, long userId) throws SQLException {
        PreparedStatement all = s.get(ALL);
        all.setLong(1, userId);
        return List.copyOf(list(all));
    }

    static Optional<HoldState> find(Grants.Statements s, long holdId) throws SQLException {
        return Optional.ofNullable(read(s, holdId));
    }

    private static HoldChange close(Grants.Statements s, Locked account, HoldState hold, HoldState.Status status,
                                    HoldOutcome outcome, Instant at) throws SQLException {
        HoldState closed = closed(hold, status, at);
        write(s, closed);
        account.held -= hold.heldCents();
        setHeld(s, account.userId, account.held, true);
        return change(outcome, closed, 0, account);
    }

    private static HoldState closed(HoldState hold, HoldState.Status status, Instant at) {
        return new HoldState(hold.holdId(), hold.userId(), hold.amountCents(), hold.capturedCents(),
                hold.allowOverdraft(), status, hold.memo(), hold.createdAt(), hold.expiresAt(), at);
    }

    private static void setHeld(Grants.Statements s, long userId, long held, boolean expiryMayChange)
            throws SQLException {
        PreparedStatement set = s.get(expiryMayChange ? HELD_AND_EXPIRY : HELD);
        set.setLong(1, held);
        set.setLong(2, userId);
        if (expiryMayChange) {
            set.setLong(3, userId);
        }
        set.executeUpdate();
    }

    private static void write(Grants.Statements s, HoldState hold) throws SQLException {
        PreparedStatement set = s.get(SET);
        set.setLong(1, hold.capturedCents());
        set.setString(2, hold.status().name());
        set.setObject(3, hold.closedAt() == null ? null : Sql.toDb(hold.closedAt()), Types.TIMESTAMP);
        set.setLong(4, hold.holdId());
        set.executeUpdate();
    }

    /** Locks the account that owns hold {@code holdId}; null when there is no such hold or account. */
    private static Locked lockOwner(Grants.Statements s, long holdId) throws SQLException {
        return lock(s, LOCK_OWNER, holdId);
    }

    private static Locked lock(Grants.Statements s, long userId) throws SQLException {
        return lock(s, LOCK, userId);
    }

    private static Locked lock(Grants.Statements s, String sql, Object parameter) throws SQLException {
        PreparedStatement lock = s.get(sql);
        lock.setObject(1, parameter);
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            Locked account = new Locked(rs.getLong(6));
            account.balance = rs.getLong(1);
            account.held = rs.getLong(2);
            account.nextHoldExpiry = instant(rs.getObject(3, LocalDateTime.class));
            account.granted = rs.getLong(4);
            account.nextGrantExpiry = instant(rs.getObject(5, LocalDateTime.class));
            return account;
        }
    }

    private static HoldState read(Grants.Statements s, long holdId) throws SQLException {
        PreparedStatement one = s.get(ONE);
        one.setLong(1, holdId);
        return single(one);
    }

    private static HoldState single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? row(rs) : null;
        }
    }

    private static List<HoldState> list(PreparedStatement query) throws SQLException {
        List<HoldState> holds = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                holds.add(row(rs));
            }
        }
        return holds;
    }

    private static HoldState row(ResultSet rs) throws SQLException {
        return new HoldState(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5),
                HoldState.Status.valueOf(rs.getString(6)), rs.getString(7),
                Sql.fromDb(rs.getObject(8, LocalDateTime.class)), Sql.fromDb(rs.getObject(9, LocalDateTime.class)),
                instant(rs.getObject(10, LocalDateTime.class)));
    }

    private static HoldChange change(HoldOutcome outcome, HoldState hold, long charged, Locked account) {
        return new HoldChange(outcome, hold, charged, account.balance, account.available());
    }

    private static boolean due(Instant expiry, Instant at) {
        return expiry != null && !expiry.isAfter(at);
    }

    private static Instant instant(LocalDateTime at) {
        return at == null ? null : Sql.fromDb(at);
    }

    private static void minus(long balance, long cents) {
        try {
            Math.subtractExact(balance, cents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balance + " - " + cents + " cents overflows a long");
        }
    }
}
