package dev.stripeflare.store.postgres;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.PaymentReversal;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The row per payment (keyed by its PaymentIntent id) that every credit and reversal of that
 * payment locks first — {@code INSERT … ON CONFLICT DO NOTHING}, then {@code SELECT … FOR
 * UPDATE} — so a refund racing its payment's credit either sees the credit or is seen by it,
 * whichever instance runs them. Also the reversals deferred until the payment's credit.
 * Stateless apart from its SQL.
 */
final class PaymentRows {

    /** A locked payment row: the account its credit went to (0: none yet) and its running totals. */
    record Payment(String reference, long userId, long creditedCents, long reversedCents) {
        boolean credited() {
            return userId != 0;
        }

        /** What reversals may still take. */
        long remainingCents() {
            return Math.max(0, creditedCents - reversedCents);
        }
    }

    private final String insert;
    private final String lock;
    private final String update;
    private final String defer;
    private final String deferred;
    private final String dropDeferred;
    private final String dropOneDeferred;

    PaymentRows(Sql sql) {
        // at: when the payment was first seen, for the payment retention (ADR 30).
        insert = sql.of("INSERT INTO @payments (payment_ref, at) VALUES (:ref, :at) ON CONFLICT DO NOTHING");
        lock = sql.of("SELECT coalesce(user_id, 0), credited_cents, reversed_cents FROM @payments"
                + " WHERE payment_ref = :ref FOR UPDATE");
        update = sql.of("UPDATE @payments SET user_id = :id, credited_cents = :credited, reversed_cents = :reversed"
                + " WHERE payment_ref = :ref");
        defer = sql.of("INSERT INTO @deferred_reversals (operation_id, payment_ref, amount, payment_total, kind, memo, at)"
                + " VALUES (:op, :ref, :amount, :total, :kind, :memo, :at)");
        deferred = sql.of("SELECT operation_id, amount, payment_total, kind, memo, at FROM @deferred_reversals"
                + " WHERE payment_ref = :ref ORDER BY seq");
        dropDeferred = sql.of("DELETE FROM @deferred_reversals WHERE payment_ref = :ref");
        dropOneDeferred = sql.of("DELETE FROM @deferred_reversals WHERE operation_id = :op");
    }

    /** Creates the payment's row if needed and locks it until the transaction ends. */
    Payment lock(Handle h, String reference, java.time.Instant at) {
        h.createUpdate(insert).bind("ref", reference).bind("at", at).execute();
        return h.createQuery(lock).bind("ref", reference)
                .map((rs, ctx) -> new Payment(reference, rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .findOne().orElseThrow(() -> new Transactions.Conflict("payment row vanished"));
    }

    void update(Handle h, Payment payment) {
        h.createUpdate(update).bind("ref", payment.reference()).bind("id", payment.userId() == 0 ? null : payment.userId())
                .bind("credited", payment.creditedCents()).bind("reversed", payment.reversedCents()).execute();
    }

    void defer(Handle h, PaymentReversal r) {
        h.createUpdate(defer).bind("op", r.operationId()).bind("ref", r.paymentReference())
                .bind("amount", r.amount()).bind("total", r.paymentTotal()).bind("kind", r.kind().name())
                .bind("memo", r.memo()).bind("at", r.at()).execute();
    }

    /** The reversals waiting for the payment's credit, oldest first; hold the payment's lock. */
    List<PaymentReversal> deferred(Handle h, String reference) {
        return h.createQuery(deferred).bind("ref", reference).map((rs, ctx) -> new PaymentReversal(
                rs.getString(1), reference, rs.getLong(2), rs.getLong(3), LedgerEntryKind.valueOf(rs.getString(4)),
                rs.getString(5), Sql.fromDb(rs.getObject(6, OffsetDateTime.class)))).list();
    }

    void dropDeferred(Handle h, String reference) {
        h.createUpdate(dropDeferred).bind("ref", reference).execute();
    }

    void dropDeferredReversal(Handle h, String operationId) {
        h.createUpdate(dropOneDeferred).bind("op", operationId).execute();
    }
}
