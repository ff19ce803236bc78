package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Money taken back (refunds, disputes) and given back (won disputes, failed refunds), each one
 * transaction. A reversal locks its payment's PAYMENTS row first, the same row the payment's
 * credit locks first: whichever comes second waits for the first to commit and then sees it, so
 * a reversal is either deferred and applied by the credit, or applied to what the credit
 * credited — never lost. All reversals of one payment together take at most what it credited
 * (PAYMENTS.REVERSED, less what restorations gave back). A restoration locks the same PAYMENTS
 * row, then the reversal's OPERATIONS row, so it cannot interleave with the reversal being
 * applied, deferred or applied by a credit.
 */
final class Reversals {

    private record Deferred(long seq, String operationId, long amount, long paymentTotal, String kind, String memo,
                            LocalDateTime at) {
    }

    private Reversals() {
    }

    static ReversalResult reverse(Handle h, PaymentReversal r) {
        Optional<Operations.Recorded> applied = Operations.find(h, r.operationId());
        if (applied.isPresent()) {
            return duplicate(h, applied.get());
        }
        Payments.Payment payment = Payments.lock(h, r.paymentReference(), r.at());
        if (!payment.isCredited()) {
            h.createUpdate("INSERT INTO DEFERRED_REVERSALS"
                            + " (OPERATION_ID, PAYMENT_REF, AMOUNT, PAYMENT_TOTAL, KIND, MEMO, AT)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, r.operationId()).bind(1, r.paymentReference()).bind(2, r.amount())
                    .bind(3, r.paymentTotal()).bind(4, r.kind().name()).bind(5, r.memo()).bind(6, Sql.toDb(r.at()))
                    .execute();
            Operations.record(h, r.operationId(), "DEFERRED", null, null, r.at());
            return new ReversalResult(ReversalResult.Status.DEFERRED, OptionalLong.empty(), 0, 0);
        }
        long userId = payment.userId();
        if (!Accounts.exists(h, userId)) {
            // The account was deleted: there is nothing left to take the money from.
            h.execute("INSERT INTO REVERSALS (OPERATION_ID, PAYMENT_REF, USER_ID, TAKEN) VALUES (?, ?, NULL, 0)",
                    r.operationId(), r.paymentReference());
            Operations.record(h, r.operationId(), "REVERSAL", null, "account deleted", r.at());
            return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.empty(), 0, 0);
        }
        Operations.record(h, r.operationId(), "REVERSAL", userId, null, r.at()); // before the account's row
        long[] balance = new long[1];
        long taken = take(h, payment, r, userId, balance);
        return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(userId), balance[0], taken);
    }

    /**
     * Debits what {@code r} asks of the locked, credited {@code payment}, capped at what is left
     * of it; records the reversal and the payment's new reversed total. Returns the cents taken
     * and leaves the account's balance after it in {@code balanceOut[0]}.
     */
    private static long take(Handle h, Payments.Payment payment, PaymentReversal r, long userId, long[] balanceOut) {
        long taken;
        if (payment.credited() == null) {
            // credited before store schema 2: the amount is unknown, reversed as asked, as then
            taken = r.amount();
        } else {
            long left = Math.max(0, payment.credited() - payment.reversed());
            taken = Math.min(r.requestedCents(payment.credited()), left);
        }
        h.execute("INSERT INTO REVERSALS (OPERATION_ID, PAYMENT_REF, USER_ID, TAKEN) VALUES (?, ?, ?, ?)",
                r.operationId(), payment.reference(), userId, taken);
        if (taken > 0) {
            Payments.reversedBy(h, payment, taken);
            balanceOut[0] = Balances.add(h, userId, -taken).orElseThrow(Sql.RaceLost::new);
            Balances.appendLedger(h, userId, -taken, balanceOut[0], r.kind(), r.operationId(), r.memo(), r.at());
        } else {
            balanceOut[0] = Accounts.balanceOf(h, userId);
        }
        return taken;
    }

    /**
     * Applies, in the credit's transaction, the reversals deferred for the payment just credited
     * (its row locked), oldest first, each capped. Returns the account's balance after them.
     */
    static long applyDeferred(Handle h, Payments.Payment credited, long balance) {
        List<Deferred> deferred = h.createQuery("SELECT SEQ, OPERATION_ID, AMOUNT, PAYMENT_TOTAL, KIND, MEMO, AT"
                        + " FROM DEFERRED_REVERSALS WHERE PAYMENT_REF = ? ORDER BY SEQ")
                .bind(0, credited.reference())
                .map((rs, ctx) -> new Deferred(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, LocalDateTime.class)))
                .list();
        long userId = credited.userId();
        long after = balance;
        Payments.Payment payment = credited;
        for (Deferred d : deferred) {
            PaymentReversal r = new PaymentReversal(d.operationId(), payment.reference(), d.amount(),
                    d.paymentTotal(), LedgerEntryKind.valueOf(d.kind()), d.memo(), Sql.fromDb(d.at()));
            long[] balanceOut = new long[1];
            long taken = take(h, payment, r, userId, balanceOut);
            payment = new Payments.Payment(payment.reference(), payment.userId(), payment.credited(),
                    payment.reversed() + taken);
            after = balanceOut[0];
            h.execute("UPDATE OPERATIONS SET USER_ID = ?, KIND = 'REVERSAL' WHERE OPERATION_ID = ?",
                    userId, d.operationId());
            h.execute("DELETE FROM DEFERRED_REVERSALS WHERE SEQ = ?", d.seq());
        }
        return after;
    }

    static ReversalResult restore(Handle h, PaymentRestoration p) {
        Optional<Operations.Recorded> applied = Operations.find(h, p.operationId());
        if (applied.isPresent()) {
            return duplicate(h, applied.get());
        }
        Optional<String> reference = h.createQuery("SELECT PAYMENT_REF FROM REVERSALS WHERE OPERATION_ID = ?"
                        + " UNION ALL SELECT PAYMENT_REF FROM DEFERRED_REVERSALS WHERE OPERATION_ID = ?")
                .bind(0, p.reversalOperationId()).bind(1, p.reversalOperationId())
                .mapTo(String.class).findFirst();
        Optional<Payments.Payment> payment = reference.flatMap(ref -> Payments.lockExisting(h, ref));
        Optional<Operations.Recorded> reversal = Operations.lock(h, p.reversalOperationId());
        if (reversal.isEmpty()) {
            // Not seen yet: cancel it in advance (its own later insert collides with this row).
            Operations.record(h, p.reversalOperationId(), "CANCELLED", null, "cancelled by " + p.operationId(),
                    p.at());
            Operations.record(h, p.operationId(), "RESTORE", null, null, p.at());
            return new ReversalResult(ReversalResult.Status.CANCELLED, OptionalLong.empty(), 0, 0);
        }
        switch (reversal.get().kind()) {
            case "CANCELLED":
                return new ReversalResult(ReversalResult.Status.DUPLICATE, OptionalLong.empty(), 0, 0);
            case "DEFERRED":
                if (payment.isEmpty()) {
                    throw new Sql.RaceLost(); // deferred after the read above; rerun to lock its payment
                }
                h.execute("DELETE FROM DEFERRED_REVERSALS WHERE OPERATION_ID = ?", p.reversalOperationId());
                h.execute("UPDATE OPERATIONS SET KIND = 'CANCELLED', REASON = ? WHERE OPERATION_ID = ?",
                        "cancelled by " + p.operationId(), p.reversalOperationId());
                Operations.record(h, p.operationId(), "RESTORE", null, null, p.at());
                return new ReversalResult(ReversalResult.Status.CANCELLED, OptionalLong.empty(), 0, 0);
            case "REVERSAL":
                return giveBack(h, p, payment);
            default:
                // not a reversal (a credit, a settlement): there is nothing it took
                Operations.record(h, p.operationId(), "RESTORE", null, null, p.at());
                return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.empty(), 0, 0);
        }
    }

    private static ReversalResult giveBack(Handle h, PaymentRestoration p, Optional<Payments.Payment> payment) {
        record Taken(String reference, Long userId, long cents, String restoredBy) {
        }
        Optional<Taken> taken = h.createQuery("SELECT PAYMENT_REF, USER_ID, TAKEN, RESTORED_BY FROM REVERSALS"
                        + " WHERE OPERATION_ID = ?")
                .bind(0, p.reversalOperationId())
                .map((rs, ctx) -> new Taken(rs.getString(1), rs.getObject(2, Long.class), rs.getLong(3),
                        rs.getString(4)))
                .findOne();
        if (taken.isPresent() && taken.get().restoredBy() != null) {
            OptionalLong userId = taken.get().userId() == null ? OptionalLong.empty()
                    : OptionalLong.of(taken.get().userId());
            return new ReversalResult(ReversalResult.Status.DUPLICATE, userId,
                    userId.isPresent() ? Accounts.balanceOf(h, userId.getAsLong()) : 0, 0);
        }
        if (taken.isPresent() && taken.get().reference() != null && payment.isEmpty()) {
            throw new Sql.RaceLost(); // applied after the read above; rerun to lock its payment
        }
        Long userId = taken.map(Taken::userId).orElse(null);
        long cents = taken.map(Taken::cents).orElse(0L);
        long moved = 0;
        long balance = 0;
        if (userId != null && !Accounts.exists(h, userId)) {
            userId = null;
        }
        // the records that can collide come before the account's row (see reverse)
        Operations.record(h, p.operationId(), "RESTORE", userId, null, p.at());
        if (taken.isPresent()) {
            h.execute("UPDATE REVERSALS SET RESTORED_BY = ? WHERE OPERATION_ID = ?", p.operationId(),
                    p.reversalOperationId());
        } else {
            h.execute("INSERT INTO REVERSALS (OPERATION_ID, USER_ID, TAKEN, RESTORED_BY) VALUES (?, NULL, 0, ?)",
                    p.reversalOperationId(), p.operationId());
        }
        if (userId != null) {
            if (cents > 0) {
                balance = Balances.add(h, userId, cents).orElseThrow(Sql.RaceLost::new);
                Balances.appendLedger(h, userId, cents, balance, p.kind(), p.operationId(), p.memo(), p.at());
                payment.ifPresent(locked -> Payments.reversedBy(h, locked, -cents));
                moved = cents;
            } else {
                balance = Accounts.balanceOf(h, userId);
            }
        }
        return new ReversalResult(ReversalResult.Status.APPLIED,
                userId == null ? OptionalLong.empty() : OptionalLong.of(userId), balance, moved);
    }

    private static ReversalResult duplicate(Handle h, Operations.Recorded applied) {
        OptionalLong userId = applied.userId();
        return new ReversalResult(ReversalResult.Status.DUPLICATE, userId,
                userId.isPresent() ? Accounts.balanceOf(h, userId.getAsLong()) : 0, 0);
    }
}
