package dev.stripeflare;

import java.util.Objects;

/**
 * The result of an adjustment.
 *
 * @param outcome      what happened
 * @param balanceCents the account's balance after the call (for a replay: right after the first
 *                     application; when declined: the balance that was too low)
 */
public record AdjustmentResult(AdjustmentOutcome outcome, long balanceCents) {

    /**
     * Creates the record, checking its components.
     *
     * @param outcome      what happened
     * @param balanceCents the account's balance after the call (for a replay: right after the first
     *        application; when declined: the balance that was too low)
     */
    public AdjustmentResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * Whether the account carries the adjustment: true for {@code APPLIED} and {@code REPLAYED}.
     *
     * @return true if this call changed the balance
     */
    public boolean applied() {
        return outcome != AdjustmentOutcome.INSUFFICIENT_BALANCE;
    }
}
