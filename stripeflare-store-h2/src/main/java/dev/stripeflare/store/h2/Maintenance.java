package dev.stripeflare.store.h2;

import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.spi.MaintenanceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * One bounded batch of pruning (ADR 30), each kind in its own short transaction found through
 * its index on {@code AT}: idempotency keys; credit, settlement, restoration and cancellation
 * ids; deferred reversals (dropped unapplied, under their payment's lock, so a credit applying
 * them at that moment either applied them first or sees them gone); applied reversals' records;
 * payment rows; checkout rows. Balances and the ledger are never touched.
 */
final class Maintenance {

    private Maintenance() {
    }

    static MaintenanceReport run(HandlePool pool, MaintenanceRequest r) {
        int batch = r.batchSize();
        int keys = pool.inTransaction("pruning idempotency keys", h -> h.createUpdate(
                        "DELETE FROM IDEMPOTENCY WHERE AT < ? FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(r.idempotencyKeysBefore())).bind(1, batch).execute());
        List<String> expired = pool.inTransaction("expiring deferred reversals",
                h -> expireDeferred(h, r.operationsBefore(), batch));
        int operations = pool.inTransaction("pruning operation ids", h -> pruneOperations(h,
                "KIND IN ('CREDIT', 'SETTLED', 'RESTORE', 'CANCELLED')", r.operationsBefore(), batch));
        int reversals = pool.inTransaction("pruning reversal records", h -> pruneOperations(h,
                "KIND = 'REVERSAL'", r.paymentsBefore(), batch));
        int payments = pool.inTransaction("pruning payments", h -> h.createUpdate(
                        "DELETE FROM PAYMENTS WHERE AT < ? FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(r.paymentsBefore())).bind(1, batch).execute());
        int checkouts = pool.inTransaction("pruning checkouts", h -> h.createUpdate(
                        "DELETE FROM CHECKOUT_CLAIMS WHERE AT < ? FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(r.operationsBefore())).bind(1, batch).execute());
        // Adjustments and resolved unclaimed payments are rare: kept as long as payments, found
        // without an index. An open unclaimed payment waits for its operator however old.
        int adjustments = pool.inTransaction("pruning adjustments", h -> h.createUpdate(
                        "DELETE FROM ADJUSTMENTS WHERE AT < ? FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(r.paymentsBefore())).bind(1, batch).execute());
        int unclaimed = pool.inTransaction("pruning resolved unclaimed payments", h -> h.createUpdate(
                        "DELETE FROM UNCLAIMED_PAYMENTS WHERE STATUS <> 'OPEN' AND RESOLVED_AT < ?"
                                + " FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(r.paymentsBefore())).bind(1, batch).execute());
        boolean more = keys == batch || expired.size() == batch || operations == batch || reversals == batch
                || payments == batch || checkouts == batch || adjustments == batch || unclaimed == batch;
        return new MaintenanceReport(keys, operations + reversals + adjustments, payments + unclaimed, checkouts,
                expired, more);
    }

    /** Deletes up to {@code batch} operations of the kinds {@code kinds} selects, with their reversal records. */
    private static int pruneOperations(Handle h, String kinds, Instant before, int batch) {
        List<String> ids = h.createQuery("SELECT OPERATION_ID FROM OPERATIONS WHERE AT < ? AND " + kinds
                        + " ORDER BY AT FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(before)).bind(1, batch).mapTo(String.class).list();
        int removed = 0;
        for (String id : ids) {
            // A kind changed since the read (a deferred reversal applied) is left for its own rule.
            int deleted = h.createUpdate("DELETE FROM OPERATIONS WHERE OPERATION_ID = ? AND " + kinds)
                    .bind(0, id).execute();
            if (deleted == 1) {
                h.execute("DELETE FROM REVERSALS WHERE OPERATION_ID = ?", id);
                removed++;
            }
        }
        return removed;
    }

    /** Drops up to {@code batch} reversals deferred before {@code before}; returns their ids. */
    private static List<String> expireDeferred(Handle h, Instant before, int batch) {
        // A refund of an open unclaimed payment waits for its assignment whatever its age: no
        // unclaimed payment can be recorded after its refunds are due here, as an event that old
        // is ignored (ADR 30, 31).
        List<String> ids = h.createQuery("SELECT O.OPERATION_ID FROM OPERATIONS O WHERE O.AT < ?"
                        + " AND O.KIND = 'DEFERRED' AND NOT EXISTS (SELECT 1 FROM DEFERRED_REVERSALS D"
                        + " JOIN UNCLAIMED_PAYMENTS U ON U.PAYMENT_INTENT = D.PAYMENT_REF"
                        + " WHERE D.OPERATION_ID = O.OPERATION_ID AND U.STATUS = 'OPEN')"
                        + " ORDER BY O.AT FETCH FIRST ? ROWS ONLY")
                .bind(0, Sql.toDb(before)).bind(1, batch).mapTo(String.class).list();
        List<String> expired = new ArrayList<>();
        for (String id : ids) {
            Optional<String> reference = h.createQuery(
                            "SELECT PAYMENT_REF FROM DEFERRED_REVERSALS WHERE OPERATION_ID = ?")
                    .bind(0, id).mapTo(String.class).findFirst();
            // The payment's row first, as every credit and reversal of it does (ADR 24).
            reference.ifPresent(ref -> Payments.lockExisting(h, ref));
            Optional<Operations.Recorded> now = Operations.lock(h, id);
            if (now.isPresent() && now.get().kind().equals("DEFERRED")) {
                h.execute("DELETE FROM DEFERRED_REVERSALS WHERE OPERATION_ID = ?", id);
                h.execute("DELETE FROM OPERATIONS WHERE OPERATION_ID = ?", id);
                expired.add(id);
            }
        }
        return expired;
    }
}
