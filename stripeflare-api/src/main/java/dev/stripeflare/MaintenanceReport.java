package dev.stripeflare;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one maintenance pass ({@link Wallet#maintain}, or one batch of
 * {@link dev.stripeflare.spi.UserStore#maintain}) removed because its retention had passed.
 *
 * @param idempotencyKeys          idempotency keys older than their window (a later charge
 *                                 under one of them charges again)
 * @param operations               applied, settled, cancelled and restoration operation ids,
 *                                 and reversal records, older than their retention
 * @param payments                 payment rows (what a payment credited and had taken back)
 *                                 older than the payment retention
 * @param checkouts                checkout rows (claims) older than the operation retention
 * @param expiredDeferredReversals the operation ids of refunds or disputes that waited for
 *                                 their payment's credit longer than the operation retention and
 *                                 were dropped: they will never be applied
 * @param more                     whether a batch limit was reached, so more may be due
 */
public record MaintenanceReport(
        int idempotencyKeys,
        int operations,
        int payments,
        int checkouts,
        List<String> expiredDeferredReversals,
        boolean more) {

    /**
     * Creates the record, checking its components.
     *
     * @param idempotencyKeys          idempotency keys older than their window (a later charge
     *        under one of them charges again)
     * @param operations               applied, settled, cancelled and restoration operation ids,
     *        and reversal records, older than their retention
     * @param payments                 payment rows (what a payment credited and had taken back)
     *        older than the payment retention
     * @param checkouts                checkout rows (claims) older than the operation retention
     * @param expiredDeferredReversals the operation ids of refunds or disputes that waited for
     *        their payment's credit longer than the operation retention and
     *        were dropped: they will never be applied
     * @param more                     whether a batch limit was reached, so more may be due
     */
    public MaintenanceReport {
        if (idempotencyKeys < 0 || operations < 0 || payments < 0 || checkouts < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
        expiredDeferredReversals = List.copyOf(Objects.requireNonNull(expiredDeferredReversals,
                "expiredDeferredReversals"));
    }

    /**
     * A report of nothing removed.
     *
     * @return a report of nothing removed
     */
    public static MaintenanceReport empty() {
        return new MaintenanceReport(0, 0, 0, 0, List.of(), false);
    }

    /**
     * Everything removed, over all kinds.
     *
     * @return every row removed
     */
    public long total() {
        return (long) idempotencyKeys + operations + payments + checkouts + expiredDeferredReversals.size();
    }

    /**
     * This report followed by {@code next}: counts added, {@code more} from {@code next}.
     *
     * @param next a later report
     * @return the sum of both
     */
    public MaintenanceReport plus(MaintenanceReport next) {
        List<String> expired = new ArrayList<>(expiredDeferredReversals);
        expired.addAll(next.expiredDeferredReversals);
        return new MaintenanceReport(idempotencyKeys + next.idempotencyKeys, operations + next.operations,
                payments + next.payments, checkouts + next.checkouts, expired, next.more);
    }
}
