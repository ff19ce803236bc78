package dev.stripeflare;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Wallet#reserve} did.
 *
 * @param outcome        {@link HoldOutcome#RESERVED}, {@link HoldOutcome#REPLAYED} (the key's
 *                       hold, as it is now), {@link HoldOutcome#INSUFFICIENT_BALANCE} or
 *                       {@link HoldOutcome#NOT_REGISTERED}
 * @param hold           the hold for {@code RESERVED} and {@code REPLAYED}; empty otherwise
 * @param availableCents the account's available balance (balance − held) after the call; 0
 *                       without an account
 */
public record ReserveResult(HoldOutcome outcome, Optional<Hold> hold, long availableCents) {

    /**
     * Checks the components: a hold is present exactly for {@code RESERVED} and {@code REPLAYED}.
     *
     * @param outcome        {@link HoldOutcome#RESERVED}, {@link HoldOutcome#REPLAYED} (the key's
     *                       hold, as it is now), {@link HoldOutcome#INSUFFICIENT_BALANCE} or
     *                       {@link HoldOutcome#NOT_REGISTERED}; never null
     * @param hold           the hold for {@code RESERVED} and {@code REPLAYED}; empty otherwise; never null
     * @param availableCents the account's available balance (balance − held) after the call; 0
     *                       without an account
     * @throws IllegalArgumentException if the outcome and the presence of a hold disagree
     */
    public ReserveResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(hold, "hold");
        if (hold.isPresent() != (outcome == HoldOutcome.RESERVED || outcome == HoldOutcome.REPLAYED)) {
            throw new IllegalArgumentException(outcome + " contradicts hold " + hold);
        }
    }

    /**
     * Whether a hold now reserves the amount (new, or the key's earlier one).
     *
     * @return true for {@code RESERVED} and {@code REPLAYED}, when {@link #hold()} is present; a
     *         replayed hold may since have been captured, released or expired
     */
    public boolean reserved() {
        return hold.isPresent();
    }
}
