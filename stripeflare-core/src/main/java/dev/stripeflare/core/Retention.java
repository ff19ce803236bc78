package dev.stripeflare.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a wallet keeps what only exists to make deliveries and retries exactly-once, and how
 * it prunes it (ADR 30). Set with {@link Stripeflare.Builder#retention}; validated there.
 *
 * @param idempotencyKeys    how long a charge's idempotency key answers {@code REPLAYED}; after
 *                           that the same key charges again (as Stripe's own keys, 24 h)
 * @param operations         how long credit, settlement and restoration ids, checkout rows and
 *                           deferred reversals are kept; a webhook event older than this less
 *                           {@code eventMargin} is refused ({@code IGNORED}, logged as a
 *                           WARNING), so a pruned id is never applied again
 * @param eventMargin        the safety margin between the oldest event accepted and the oldest
 *                           operation id kept (clock skew, a maintenance pass running late)
 * @param payments           how long a payment's row (what it credited and had taken back, which
 *                           caps its refunds and disputes) and its reversals' records are kept; a
 *                           dispute can come many months after its payment
 * @param batchSize          rows of each kind removed per maintenance batch
 * @param writesPerLazyBatch every this many writes (charges, webhooks) one batch runs in the
 *                           writing thread, but only while the host has not run
 *                           {@link dev.stripeflare.Wallet#maintain} for 10 minutes (a fallback
 *                           for hosts that schedule nothing); 0 turns it off
 * @param lazyBatchSize      rows of each kind that such a lazy batch removes
 */
public record Retention(
        Duration idempotencyKeys,
        Duration operations,
        Duration eventMargin,
        Duration payments,
        int batchSize,
        int writesPerLazyBatch,
        int lazyBatchSize) {

    /**
     * The defaults: keys 24 h, operation ids 35 days (margin 2 days), payments 540 days; batches
     * of 1 000; a lazy batch of 1 000 every 500 writes (twice what one key per write needs).
     *
     * @return the defaults
     */
    public static Retention defaults() {
        return new Retention(Duration.ofHours(24), Duration.ofDays(35), Duration.ofDays(2), Duration.ofDays(540),
                1_000, 500, 1_000);
    }

    /**
     * The oldest webhook event (by its {@code created} time) the wallet still applies.
     *
     * @return the operation retention less its margin
     */
    public Duration maxEventAge() {
        return operations.minus(eventMargin);
    }

    /**
     * How long an idempotency key is kept, so a retry within it replays instead of charging again.
     *
     * @param window positive
     * @return a copy with this change; {@link Stripeflare.Builder#build()} checks it
     */
    public Retention withIdempotencyKeys(Duration window) {
        return new Retention(window, operations, eventMargin, payments, batchSize, writesPerLazyBatch, lazyBatchSize);
    }

    /**
     * How long operation ids (event ids, grant and adjustment ids) are kept; webhook events older
     * than {@code kept - margin} are refused, so none can be applied twice.
     *
     * @param kept   positive
     * @param margin positive and shorter than {@code kept}
     * @return a copy with this change; {@link Stripeflare.Builder#build()} checks it
     */
    public Retention withOperations(Duration kept, Duration margin) {
        return new Retention(idempotencyKeys, kept, margin, payments, batchSize, writesPerLazyBatch, lazyBatchSize);
    }

    /**
     * How long a payment's record is kept (refunds and disputes of it are matched through it).
     *
     * @param kept positive
     * @return a copy with this change; {@link Stripeflare.Builder#build()} checks it
     */
    public Retention withPayments(Duration kept) {
        return new Retention(idempotencyKeys, operations, eventMargin, kept, batchSize, writesPerLazyBatch,
                lazyBatchSize);
    }

    /**
     * Lazy pruning: one batch of {@code size} every {@code writes} writes; {@code writes} 0 turns it off.
     *
     * @param writes writes between two lazy batches, or 0
     * @param size   rows pruned per lazy batch
     * @return a copy with this change; {@link Stripeflare.Builder#build()} checks it
     */
    public Retention withLazyBatches(int writes, int size) {
        return new Retention(idempotencyKeys, operations, eventMargin, payments, batchSize, writes, size);
    }

    /**
     * Rows of each kind removed per maintenance batch.
     *
     * @param size positive
     * @return a copy with this change; {@link Stripeflare.Builder#build()} checks it
     */
    public Retention withBatchSize(int size) {
        return new Retention(idempotencyKeys, operations, eventMargin, payments, size, writesPerLazyBatch,
                lazyBatchSize);
    }

    /** Each problem with these settings, one sentence each; empty when they are usable. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!positive(idempotencyKeys)) {
            problems.add("retention: idempotencyKeys must be positive, was " + idempotencyKeys);
        }
        if (!positive(eventMargin) || !positive(operations) || operations.compareTo(eventMargin) <= 0) {
            problems.add("retention: operations must be longer than eventMargin, both positive; were "
                    + operations + " and " + eventMargin);
        } else if (maxEventAge().compareTo(Duration.ofDays(3)) < 0) {
            problems.add("retention: operations less eventMargin must be at least 3 days (Stripe retries a"
                    + " delivery for 3 days), was " + maxEventAge());
        }
        if (!positive(payments) || (operations != null && payments.compareTo(operations) < 0)) {
            problems.add("retention: payments must be at least operations, was " + payments);
        }
        if (batchSize < 1 || batchSize > dev.stripeflare.spi.MaintenanceRequest.MAX_BATCH_SIZE) {
            problems.add("retention: batchSize must be 1 to 100000, was " + batchSize);
        }
        if (writesPerLazyBatch < 0 || lazyBatchSize < 1 || lazyBatchSize > batchSize) {
            problems.add("retention: writesPerLazyBatch must be 0 or more and lazyBatchSize 1 to batchSize, were "
                    + writesPerLazyBatch + " and " + lazyBatchSize);
        }
        return problems;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
