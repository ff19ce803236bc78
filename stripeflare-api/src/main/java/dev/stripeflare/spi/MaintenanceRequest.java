package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One bounded batch of pruning for {@link UserStore#maintain}: what is older than each cut-off
 * may go, at most {@code batchSize} rows (or map entries) of each kind. The caller computes the
 * cut-offs from its clock and retention settings; stores never read a clock.
 *
 * @param idempotencyKeysBefore idempotency keys recorded before this instant are forgotten
 * @param operationsBefore      credit, settlement, restoration and cancellation operation ids,
 *                              checkout rows and deferred reversals recorded before this instant
 *                              are forgotten (deferred reversals are dropped unapplied)
 * @param paymentsBefore        payment rows created before this instant, with the reversal
 *                              records of their refunds and disputes, are forgotten; must not
 *                              be after {@code operationsBefore}
 * @param batchSize             at most this many removals of each kind, 1 to 100 000
 */
public record MaintenanceRequest(
        Instant idempotencyKeysBefore,
        Instant operationsBefore,
        Instant paymentsBefore,
        int batchSize) {

    /** The largest batch a request may ask for. */
    public static final int MAX_BATCH_SIZE = 100_000;

    /**
     * Creates the record, checking its components.
     *
     * @param idempotencyKeysBefore idempotency keys recorded before this instant are forgotten
     * @param operationsBefore      credit, settlement, restoration and cancellation operation ids,
     *        checkout rows and deferred reversals recorded before this instant
     *        are forgotten (deferred reversals are dropped unapplied)
     * @param paymentsBefore        payment rows created before this instant, with the reversal
     *        records of their refunds and disputes, are forgotten; must not
     *        be after {@code operationsBefore}
     * @param batchSize             at most this many removals of each kind, 1 to 100 000
     */
    public MaintenanceRequest {
        Objects.requireNonNull(idempotencyKeysBefore, "idempotencyKeysBefore");
        Objects.requireNonNull(operationsBefore, "operationsBefore");
        Objects.requireNonNull(paymentsBefore, "paymentsBefore");
        if (paymentsBefore.isAfter(operationsBefore)) {
            throw new IllegalArgumentException("payments must be kept at least as long as operation ids");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
    }
}
