package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Money in and money taken back, each as one transaction that also records its operation id in
 * OPERATIONS (the primary key makes a concurrent second delivery fail and rerun as a duplicate).
 */
final class Credits {

    /**
     * Thrown inside a credit's transaction when it must create an account whose schema was not
     * made beforehand; the caller makes the schema (DDL commits on its own) and reruns.
     */
    static final class SchemaNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaNeeded() {
            super(null, null, false, false);
        }
    }

    private record Deferred(long seq, String operationId, long amount, String kind, String memo,
                            LocalDateTime at) {
    }

    private Credits() {
    }

    /**
     * Applies the credit. {@code newUserId} is the id to give a created account (its schema
     * already made), or empty to draw one from the sequence when accounts have no schema.
     */
    static CreditResult credit(Handle h, PaymentCredit c, OptionalLong newUserId, boolean schemaNeeded) {
        Optional<OptionalLong> applied = operation(h, c.operationId());
        if (applied.isPresent()) {
            // A settled or deferred id names no account: report the token's, if it has one.
            long userId = applied.get().isPresent() ? applied.get().getAsLong()
                    : h.createQuery("SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?").bind(0, c.tokenHash())
                            .mapTo(Long.class).findOne().orElse(0L);
            return new CreditResult(CreditResult.Status.DUPLICATE, userId, balanceOf(h, userId),
                    CreditResult.Account.EXISTING);
        }
        CreditResult.Account how;
        long userId;
        Optional<Long> owner = h.createQuery("SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, c.tokenHash()).mapTo(Long.class).findOne();
        if (owner.isPresent()) {
            how = CreditResult.Account.EXISTING;
            userId = owner.get();
        } else if (c.linkToUserId().isPresent() && accountExists(h, c.linkToUserId().getAsLong())) {
            how = CreditResult.Account.LINKED;
            userId = c.linkToUserId().getAsLong();
            insertToken(h, c.tokenHash(), userId);
        } else {
            if (schemaNeeded && newUserId.isEmpty()) {
                throw new SchemaNeeded();
            }
            how = CreditResult.Account.CREATED;
            userId = newUserId.isPresent() ? newUserId.getAsLong() : nextUserId(h);
            h.createUpdate("INSERT INTO ACCOUNTS (USER_ID, BALANCE, CREATED_AT) VALUES (?, 0, ?)")
                    .bind(0, userId).bind(1, Sql.toDb(c.at())).execute();
            insertToken(h, c.tokenHash(), userId);
        }
        long balance = h.createQuery("SELECT BALANCE FROM FINAL TABLE (UPDATE ACCOUNTS SET BALANCE = BALANCE + ?,"
                        + " NAME = COALESCE(?, NAME), EMAIL = COALESCE(?, EMAIL),"
                        + " VERIFIED_EMAIL = COALESCE(VERIFIED_EMAIL, ?),"
                        + " CARD_FINGERPRINT = COALESCE(CARD_FINGERPRINT, ?) WHERE USER_ID = ?)")
                .bind(0, c.amountCents()).bind(1, c.profile().name()).bind(2, c.profile().email())
                .bind(3, c.profile().verifiedEmail()).bind(4, c.profile().cardFingerprint()).bind(5, userId)
                .mapTo(Long.class).one();
        Balances.appendLedger(h, userId, c.amountCents(), balance, LedgerEntryKind.PAYMENT, c.operationId(),
                c.memo(), c.at());
        recordOperation(h, c.operationId(), "CREDIT", userId, null, c.at());
        if (c.paymentReference() != null) {
            h.createUpdate("INSERT INTO PAYMENTS (PAYMENT_REF, USER_ID) SELECT ?, ?"
                            + " WHERE NOT EXISTS (SELECT 1 FROM PAYMENTS WHERE PAYMENT_REF = ?)")
                    .bind(0, c.paymentReference()).bind(1, userId).bind(2, c.paymentReference()).execute();
            balance = applyDeferred(h, c.paymentReference(), userId, balance);
        }
        return new CreditResult(CreditResult.Status.APPLIED, userId, balance, how);
    }

    /** Whether this credit, run now, would create an account (so its schema must exist first). */
    static boolean wouldCreate(Handle h, PaymentCredit c) {
        if (operation(h, c.operationId()).isPresent()) {
            return false;
        }
        boolean known = h.createQuery("SELECT COUNT(*) FROM TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, c.tokenHash()).mapTo(Integer.class).one() > 0;
        return !known && !(c.linkToUserId().isPresent() && accountExists(h, c.linkToUserId().getAsLong()));
    }

    static long nextUserId(Handle h) {
        return h.createQuery("SELECT NEXT VALUE FOR USER_IDS").mapTo(Long.class).one();
    }

    static ReversalResult reverse(Handle h, PaymentReversal r) {
        Optional<OptionalLong> applied = operation(h, r.operationId());
        if (applied.isPresent()) {
            OptionalLong userId = applied.get();
            return new ReversalResult(ReversalResult.Status.DUPLICATE, userId,
                    userId.isPresent() ? balanceOf(h, userId.getAsLong()) : 0);
        }
        Optional<Long> owner = h.createQuery("SELECT USER_ID FROM PAYMENTS WHERE PAYMENT_REF = ?")
                .bind(0, r.paymentReference()).mapTo(Long.class).findOne();
        if (owner.isPresent() && !accountExists(h, owner.get())) {
            // The account was deleted: there is nothing left to take the money from.
            recordOperation(h, r.operationId(), "REVERSAL", null, "account deleted", r.at());
            return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.empty(), 0);
        }
        if (owner.isEmpty()) {
            h.createUpdate("INSERT INTO DEFERRED_REVERSALS (OPERATION_ID, PAYMENT_REF, AMOUNT, KIND, MEMO, AT)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, r.operationId()).bind(1, r.paymentReference()).bind(2, r.amountCents())
                    .bind(3, r.kind().name()).bind(4, r.memo()).bind(5, Sql.toDb(r.at())).execute();
            recordOperation(h, r.operationId(), "DEFERRED", null, null, r.at());
            return new ReversalResult(ReversalResult.Status.DEFERRED, OptionalLong.empty(), 0);
        }
        long userId = owner.get();
        long balance = Balances.add(h, userId, -r.amountCents()).orElseThrow();
        Balances.appendLedger(h, userId, -r.amountCents(), balance, r.kind(), r.operationId(), r.memo(), r.at());
        recordOperation(h, r.operationId(), "REVERSAL", userId, null, r.at());
        return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(userId), balance);
    }

    static boolean recordSettled(Handle h, String operationId, String reason, Instant at) {
        if (operation(h, operationId).isPresent()) {
            return false;
        }
        recordOperation(h, operationId, "SETTLED", null, reason, at);
        return true;
    }

    private static long applyDeferred(Handle h, String paymentRef, long userId, long balance) {
        List<Deferred> deferred = h.createQuery("SELECT SEQ, OPERATION_ID, AMOUNT, KIND, MEMO, AT"
                        + " FROM DEFERRED_REVERSALS WHERE PAYMENT_REF = ? ORDER BY SEQ")
                .bind(0, paymentRef)
                .map((rs, ctx) -> new Deferred(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, LocalDateTime.class)))
                .list();
        long after = balance;
        for (Deferred d : deferred) {
            after = Balances.add(h, userId, -d.amount()).orElseThrow();
            Balances.appendLedger(h, userId, -d.amount(), after, LedgerEntryKind.valueOf(d.kind()),
                    d.operationId(), d.memo(), Sql.fromDb(d.at()));
            h.execute("UPDATE OPERATIONS SET USER_ID = ?, KIND = 'REVERSAL' WHERE OPERATION_ID = ?",
                    userId, d.operationId());
            h.execute("DELETE FROM DEFERRED_REVERSALS WHERE SEQ = ?", d.seq());
        }
        return after;
    }

    /** Empty if the id was never recorded; else the account it went to, if any. */
    private static Optional<OptionalLong> operation(Handle h, String operationId) {
        return h.createQuery("SELECT USER_ID FROM OPERATIONS WHERE OPERATION_ID = ?")
                .bind(0, operationId)
                .map((rs, ctx) -> {
                    long id = rs.getLong(1);
                    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(id);
                })
                .findOne();
    }

    private static void recordOperation(Handle h, String operationId, String kind, Long userId, String reason,
                                        Instant at) {
        h.createUpdate("INSERT INTO OPERATIONS (OPERATION_ID, KIND, USER_ID, REASON, AT) VALUES (?, ?, ?, ?, ?)")
                .bind(0, operationId).bind(1, kind).bind(2, userId).bind(3, reason).bind(4, Sql.toDb(at))
                .execute();
    }

    private static boolean accountExists(Handle h, long userId) {
        return h.createQuery("SELECT COUNT(*) FROM ACCOUNTS WHERE USER_ID = ?").bind(0, userId)
                .mapTo(Integer.class).one() > 0;
    }

    private static long balanceOf(Handle h, long userId) {
        return h.createQuery("SELECT BALANCE FROM ACCOUNTS WHERE USER_ID = ?").bind(0, userId)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    private static void insertToken(Handle h, String tokenHash, long userId) {
        h.createUpdate("INSERT INTO TOKENS (TOKEN_HASH, USER_ID) VALUES (?, ?)")
                .bind(0, tokenHash).bind(1, userId).execute();
    }
}
