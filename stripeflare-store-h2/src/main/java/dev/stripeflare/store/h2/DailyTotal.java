package dev.stripeflare.store.h2;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Money moved on one UTC day, over all accounts' ledgers.
 *
 * @param day          the UTC date
 * @param creditsCents the sum of positive entries (payments, positive adjustments)
 * @param debitsCents  the sum of negative entries as a positive number (charges, refunds, disputes)
 * @param entries      how many ledger entries
 */
public record DailyTotal(LocalDate day, long creditsCents, long debitsCents, long entries) {
    /**
     * Creates the record, checking its components.
     *
     * @param day          the UTC date
     * @param creditsCents the sum of positive entries (payments, positive adjustments)
     * @param debitsCents  the sum of negative entries as a positive number (charges, refunds, disputes)
     * @param entries      how many ledger entries
     */
    public DailyTotal {
        Objects.requireNonNull(day, "day");
    }
}
