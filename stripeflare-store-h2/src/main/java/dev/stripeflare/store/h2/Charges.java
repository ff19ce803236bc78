package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A charge as one transaction of few statements, on prepared statements kept per connection
 * (the hot path, committed on the connection itself; besides the account reads, everything
 * else goes through Jdbi). Without an idempotency key: one UPDATE
 * that finds the account through the token hash, checks the balance, debits it and returns the
 * new balance, then the ledger insert. With a key: one lookup of token and key together first,
 * then the debit by account id, the ledger and the key's insert. Each ledger entry adds to its
 * day's {@link DailyTotals} row. A concurrent charge under the
 * same key hits the key's primary key and is rerun by {@link HandlePool}, which then answers it
 * as a replay. A debit naming its account by user id runs the same steps with the account's
 * id in place of the token lookup (ADR 32).
 */
final class Charges {

    // Old values (OLD TABLE): the grant credit there was tells how much of it the debit spent
    // (ADR 33). An account with a grant due to expire is not debited here: Grants.charge expires
    // it first, under the account's lock.
    private static final String DEBIT_BY_TOKEN = "SELECT USER_ID, BALANCE, GRANTED FROM OLD TABLE"
            + " (UPDATE ACCOUNTS SET BALANCE = BALANCE - ?, GRANTED = GREATEST(GRANTED - ?, 0)"
            + " WHERE USER_ID = (SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?)"
            + " AND (GRANT_EXPIRES IS NULL OR GRANT_EXPIRES > ?)";
    private static final String DEBIT_BY_ID = "SELECT USER_ID, BALANCE, GRANTED FROM OLD TABLE"
            + " (UPDATE ACCOUNTS SET BALANCE = BALANCE - ?, GRANTED = GREATEST(GRANTED - ?, 0) WHERE USER_ID = ?"
            + " AND (GRANT_EXPIRES IS NULL OR GRANT_EXPIRES > ?)";
    // Held money is not a charge's (ADR 34): the check is on the available balance.
    private static final String COVERED = " AND BALANCE - HELD >= ?)";
    private static final String UNCOVERED = ")";
    // Whole statements as constants: concatenating per call allocated a new String (and hashed
    // it) before every cache lookup.
    private static final String DEBIT_BY_TOKEN_COVERED = DEBIT_BY_TOKEN + COVERED;
    private static final String DEBIT_BY_TOKEN_UNCOVERED = DEBIT_BY_TOKEN + UNCOVERED;
    private static final String DEBIT_BY_ID_COVERED = DEBIT_BY_ID + COVERED;
    private static final String DEBIT_BY_ID_UNCOVERED = DEBIT_BY_ID + UNCOVERED;
    // Where the debit updated nothing: no account, too low a balance, or grant credit to spend.
    private static final String BALANCE_BY_TOKEN = "SELECT A.BALANCE, A.GRANTED, A.USER_ID, A.HELD, A.HOLD_EXPIRES"
            + " FROM TOKENS T"
            + " JOIN ACCOUNTS A ON A.USER_ID = T.USER_ID WHERE T.TOKEN_HASH = ?";
    private static final String BALANCE_BY_ID = "SELECT BALANCE, GRANTED, USER_ID, HELD, HOLD_EXPIRES FROM ACCOUNTS"
            + " WHERE USER_ID = ?";
    private static final String KEY_LOOKUP = "SELECT T.USER_ID, I.AMOUNT, I.BALANCE_AFTER FROM TOKENS T"
            + " LEFT JOIN IDEMPOTENCY I ON I.USER_ID = T.USER_ID AND I.IDEM_KEY = ? WHERE T.TOKEN_HASH = ?";
    // By user id (issue 13): the account named by id instead of through a token.
    private static final String KEY_LOOKUP_BY_ID = "SELECT A.USER_ID, I.AMOUNT, I.BALANCE_AFTER FROM ACCOUNTS A"
            + " LEFT JOIN IDEMPOTENCY I ON I.USER_ID = A.USER_ID AND I.IDEM_KEY = ? WHERE A.USER_ID = ?";
    private static final String INSERT_KEY =
            "INSERT INTO IDEMPOTENCY (USER_ID, IDEM_KEY, AMOUNT, BALANCE_AFTER, AT) VALUES (?, ?, ?, ?, ?)";

    private static final long NONE = Long.MIN_VALUE;

    private Charges() {
    }

    static ChargeResult charge(StatementCache statements, Debit debit) throws SQLException {
        LocalDate day = DailyTotals.dayOf(debit.at());
        if (!statements.knowsTotalsDay(day)) {
            DailyTotals.ensureDay(statements, day); // before the balance changes (see DailyTotals)
            statements.rememberTotalsDay(day);
        }
        return debit.idempotencyKey() == null
                ? chargeWithoutKey(statements, debit)
                : chargeWithKey(statements, debit);
    }

    private static ChargeResult chargeWithoutKey(StatementCache statements, Debit debit) throws SQLException {
        // The account is named in the UPDATE itself, by token hash or by id; the rest is one step.
        boolean byId = debit.byUserId();
        PreparedStatement update = statements.get(byId
                ? debit.allowNegativeBalance() ? DEBIT_BY_ID_UNCOVERED : DEBIT_BY_ID_COVERED
                : debit.allowNegativeBalance() ? DEBIT_BY_TOKEN_UNCOVERED : DEBIT_BY_TOKEN_COVERED);
        update.setLong(1, debit.amountCents());
        update.setLong(2, debit.amountCents());
        if (byId) {
            update.setLong(3, debit.userId());
        } else {
            update.setString(3, debit.tokenHash());
        }
        update.setObject(4, Sql.toDb(debit.at()));
        bindCover(update, debit);
        long userId;
        long balance;
        long granted;
        try (ResultSet rs = update.executeQuery()) {
            if (!rs.next()) {
                return byId
                        ? declinedOrGranted(statements, statements.get(BALANCE_BY_ID), debit.userId(), debit)
                        : declinedOrGranted(statements, statements.get(BALANCE_BY_TOKEN), debit.tokenHash(), debit);
            }
            userId = rs.getLong(1);
            balance = rs.getLong(2) - debit.amountCents();
            granted = rs.getLong(3);
        }
        if (granted > 0) {
            Grants.spend(statements, userId, Math.min(granted, debit.amountCents()));
        }
        appendLedger(statements, userId, balance, debit);
        return ChargeResult.charged(balance);
    }

    private static ChargeResult chargeWithKey(StatementCache statements, Debit debit) throws SQLException {
        PreparedStatement lookup = statements.get(debit.byUserId() ? KEY_LOOKUP_BY_ID : KEY_LOOKUP);
        lookup.setString(1, debit.idempotencyKey());
        if (debit.byUserId()) {
            lookup.setLong(2, debit.userId());
        } else {
            lookup.setString(2, debit.tokenHash());
        }
        long userId;
        try (ResultSet rs = lookup.executeQuery()) {
            if (!rs.next()) {
                return ChargeResult.notRegistered();
            }
            userId = rs.getLong(1);
            long chargedBefore = rs.getLong(2);
            if (!rs.wasNull()) {
                if (chargedBefore != debit.amountCents()) {
                    throw new IdempotencyKeyReusedException("idempotency key already charged this account "
                            + chargedBefore + " cents, not " + debit.amountCents());
                }
                return ChargeResult.replayed(rs.getLong(3));
            }
        }
        PreparedStatement update = statements.get(
                debit.allowNegativeBalance() ? DEBIT_BY_ID_UNCOVERED : DEBIT_BY_ID_COVERED);
        update.setLong(1, debit.amountCents());
        update.setLong(2, debit.amountCents());
        update.setLong(3, userId);
        update.setObject(4, Sql.toDb(debit.at()));
        bindCover(update, debit);
        long balance;
        long granted;
        try (ResultSet rs = update.executeQuery()) {
            if (!rs.next()) {
                ChargeResult other = declinedOrGranted(statements, statements.get(BALANCE_BY_ID), userId, debit);
                if (other.outcome() == dev.stripeflare.ChargeOutcome.CHARGED) {
                    insertKey(statements, userId, debit, other.balanceCents());
                }
                return other;
            }
            balance = rs.getLong(2) - debit.amountCents();
            granted = rs.getLong(3);
        }
        if (granted > 0) {
            Grants.spend(statements, userId, Math.min(granted, debit.amountCents()));
        }
        appendLedger(statements, userId, balance, debit);
        insertKey(statements, userId, debit, balance);
        return ChargeResult.charged(balance);
    }

    private static void insertKey(StatementCache statements, long userId, Debit debit, long balance)
            throws SQLException {
        PreparedStatement key = statements.get(INSERT_KEY);
        key.setLong(1, userId);
        key.setString(2, debit.idempotencyKey());
        key.setLong(3, debit.amountCents());
        key.setLong(4, balance);
        key.setObject(5, LocalDateTime.ofInstant(debit.at(), ZoneOffset.UTC));
        key.executeUpdate();
    }

    /**
     * Why the one-statement debit updated nothing: no account, a balance too low, or a grant due
     * to expire, which {@link Grants#charge} expires under the account's lock before it charges
     * (ADR 33).
     */
    private static ChargeResult declinedOrGranted(StatementCache statements, PreparedStatement query,
                                                  Object parameter, Debit debit) throws SQLException {
        query.setObject(1, parameter);
        long balance;
        long granted;
        long userId;
        long held;
        LocalDateTime holdExpires;
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return ChargeResult.notRegistered();
            }
            balance = rs.getLong(1);
            granted = rs.getLong(2);
            userId = rs.getLong(3);
            held = rs.getLong(4);
            holdExpires = rs.getObject(5, LocalDateTime.class);
        }
        if (granted > 0) {
            return Grants.charge(statements, userId, debit);
        }
        // A hold past its expiry no longer holds its money: the locked path releases it (ADR 34).
        boolean holdDue = holdExpires != null && !Sql.fromDb(holdExpires).isAfter(debit.at());
        // The debit may also have missed a grant spent out meanwhile: charge under the lock then.
        return holdDue || balance - held >= debit.amountCents() || debit.allowNegativeBalance()
                ? Grants.charge(statements, userId, debit) : ChargeResult.insufficientBalance(balance);
    }

    private static void appendLedger(StatementCache statements, long userId, long balance, Debit debit)
            throws SQLException {
        // The key lives once, in IDEMPOTENCY, and only for its window (ADR 30).
        Grants.ledger(statements, userId, -debit.amountCents(), balance, LedgerEntryKind.CHARGE, null, debit.memo(),
                debit.at());
    }

    private static long singleLong(PreparedStatement query, Object parameter) throws SQLException {
        query.setObject(1, parameter);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : NONE;
        }
    }

    private static void bindCover(PreparedStatement update, Debit debit) throws SQLException {
        if (!debit.allowNegativeBalance()) {
            update.setLong(5, debit.amountCents());
        }
    }
}
