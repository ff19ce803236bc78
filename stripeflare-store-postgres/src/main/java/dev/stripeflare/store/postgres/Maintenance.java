package dev.stripeflare.store.postgres;

import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.spi.MaintenanceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * One bounded batch of pruning (ADR 30), each kind one short statement or transaction found
 * through its index on {@code at}: idempotency keys; credit, settlement and cancellation ids;
 * deferred reversals (dropped unapplied under their payment's row lock, the lock a credit
 * applying them takes first); reversal and restoration records (kept with the payments, since a
 * restoration needs what its reversal took, and the restoration marks it given back); payment
 * rows; checkout rows. Balances and the ledger are never touched. Stateless apart from its SQL.
 */
final class Maintenance {

    private static final String SHORT_KINDS = "('CREDIT', 'SETTLED', 'CANCELLED')";
    private static final String LONG_KINDS = "('REVERSAL', 'RESTORATION')";

    private final Transactions tx;
    private final String keys;
    private final String shortOps;
    private final String longOps;
    private final String payments;
    private final String checkouts;
    private final String adjustments;
    private final String resolvedUnclaimed;
    private final String dueDeferred;
    private final String lockPayment;
    private final String lockDeferred;
    private final String dropDeferred;
    private final String dropOperation;

    Maintenance(Sql sql, Transactions tx) {
        this.tx = tx;
        keys = sql.of("DELETE FROM @idempotency_keys WHERE (user_id, idem_key) IN (SELECT user_id, idem_key"
                + " FROM @idempotency_keys WHERE at < :before ORDER BY at LIMIT :n)");
        shortOps = operations(sql, SHORT_KINDS);
        longOps = operations(sql, LONG_KINDS);
        payments = sql.of("DELETE FROM @payments WHERE payment_ref IN (SELECT payment_ref FROM @payments"
                + " WHERE at < :before ORDER BY at LIMIT :n)");
        checkouts = sql.of("DELETE FROM @checkouts WHERE checkout_id IN (SELECT checkout_id FROM @checkouts"
                + " WHERE at < :before ORDER BY at LIMIT :n)");
        // A refund of an open unclaimed payment waits for its assignment whatever its age: no
        // unclaimed payment can be recorded after its refunds are due here, as an event that old
        // is ignored (ADR 30, 31).
        // Adjustments and resolved unclaimed payments are rare: kept as long as payments, found
        // without an index. An open unclaimed payment waits for its operator however old.
        adjustments = sql.of("DELETE FROM @adjustments WHERE operation_id IN (SELECT operation_id FROM @adjustments"
                + " WHERE at < :before ORDER BY at LIMIT :n)");
        resolvedUnclaimed = sql.of("DELETE FROM @unclaimed_payments WHERE id IN (SELECT id FROM @unclaimed_payments"
                + " WHERE status <> 'OPEN' AND resolved_at < :before ORDER BY resolved_at LIMIT :n)");
        dueDeferred = sql.of("SELECT o.operation_id FROM @operations o WHERE o.kind = 'DEFERRED' AND o.at < :before"
                + " AND NOT EXISTS (SELECT 1 FROM @deferred_reversals d JOIN @unclaimed_payments u"
                + " ON u.payment_intent = d.payment_ref WHERE d.operation_id = o.operation_id AND u.status = 'OPEN')"
                + " ORDER BY o.at LIMIT :n");
        lockPayment = sql.of("SELECT 1 FROM @payments p JOIN @deferred_reversals d ON d.payment_ref = p.payment_ref"
                + " WHERE d.operation_id = :op FOR UPDATE OF p");
        lockDeferred = sql.of("SELECT kind FROM @operations WHERE operation_id = :op FOR UPDATE");
        dropDeferred = sql.of("DELETE FROM @deferred_reversals WHERE operation_id = :op");
        dropOperation = sql.of("DELETE FROM @operations WHERE operation_id = :op");
    }

    private static String operations(Sql sql, String kinds) {
        // The kind is checked again by the DELETE: a deferred reversal applied meanwhile is not taken.
        return sql.of("DELETE FROM @operations WHERE kind IN " + kinds + " AND operation_id IN (SELECT operation_id"
                + " FROM @operations WHERE kind IN " + kinds + " AND at < :before ORDER BY at LIMIT :n)");
    }

    MaintenanceReport run(MaintenanceRequest r) {
        int n = r.batchSize();
        int keyCount = delete("pruning idempotency keys", keys, r.idempotencyKeysBefore(), n);
        List<String> expired = tx.inTransaction("expiring deferred reversals", true,
                h -> expireDeferred(h, r.operationsBefore(), n));
        int shortCount = delete("pruning operation ids", shortOps, r.operationsBefore(), n);
        int longCount = delete("pruning reversal records", longOps, r.paymentsBefore(), n);
        int paymentCount = delete("pruning payments", payments, r.paymentsBefore(), n);
        int checkoutCount = delete("pruning checkouts", checkouts, r.operationsBefore(), n);
        int adjustmentCount = delete("pruning adjustments", adjustments, r.paymentsBefore(), n);
        int unclaimedCount = delete("pruning resolved unclaimed payments", resolvedUnclaimed, r.paymentsBefore(), n);
        boolean more = keyCount == n || expired.size() == n || shortCount == n || longCount == n
                || paymentCount == n || checkoutCount == n || adjustmentCount == n || unclaimedCount == n;
        return new MaintenanceReport(keyCount, shortCount + longCount + adjustmentCount,
                paymentCount + unclaimedCount, checkoutCount, expired, more);
    }

    private int delete(String what, String statement, Instant before, int n) {
        return tx.autocommit(what, h -> h.createUpdate(statement).bind("before", before).bind("n", n).execute());
    }

    private List<String> expireDeferred(Handle h, Instant before, int n) {
        List<String> due = h.createQuery(dueDeferred).bind("before", before).bind("n", n)
                .mapTo(String.class).list();
        List<String> expired = new ArrayList<>();
        for (String id : due) {
            h.createQuery(lockPayment).bind("op", id).mapTo(Integer.class).findOne();
            Optional<String> kind = h.createQuery(lockDeferred).bind("op", id).mapTo(String.class).findOne();
            if (kind.isPresent() && kind.get().equals("DEFERRED")) {
                h.createUpdate(dropDeferred).bind("op", id).execute();
                h.createUpdate(dropOperation).bind("op", id).execute();
                expired.add(id);
            }
        }
        return expired;
    }
}
