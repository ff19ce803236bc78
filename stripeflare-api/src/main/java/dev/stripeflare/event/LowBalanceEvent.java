package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A balance fell below a configured threshold ({@code lowBalanceThresholds(…)} on the builder):
 * one change took it from above {@code thresholdCents} to {@code thresholdCents} or less
 * ({@code balanceBeforeCents > thresholdCents >= balanceAfterCents}). Raised once per such
 * crossing, by the one charge or adjustment that made it, however many run at once; raised again
 * only after the balance rose above the threshold (a top-up) and a later change crosses it again.
 *
 * @param userId             the account
 * @param thresholdCents     the threshold crossed
 * @param balanceBeforeCents the balance right before the change
 * @param balanceAfterCents  the balance right after it
 * @param at                 when the change was made (the wallet's clock)
 */
public record LowBalanceEvent(long userId, long thresholdCents, long balanceBeforeCents, long balanceAfterCents,
                              Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId             the account
     * @param thresholdCents     the threshold crossed
     * @param balanceBeforeCents the balance right before the change
     * @param balanceAfterCents  the balance right after it
     * @param at                 when the change was made (the wallet's clock)
     */
    public LowBalanceEvent {
        Objects.requireNonNull(at, "at");
        if (!(balanceBeforeCents > thresholdCents && thresholdCents >= balanceAfterCents)) {
            throw new IllegalArgumentException("no crossing of " + thresholdCents + " from " + balanceBeforeCents
                    + " to " + balanceAfterCents);
        }
    }
}
