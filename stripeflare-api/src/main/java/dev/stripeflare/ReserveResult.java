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

    public ReserveResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(hold, "hold");
        if (hold.isPresent() != (outcome == HoldOutcome.RESERVED || outcome == HoldOutcome.REPLAYED)) {
            throw new IllegalArgumentException(outcome + " contradicts hold " + hold);
        }
    }

    /** Whether a hold now reserves the amount (new, or the key's earlier one). */
    public boolean reserved() {
        return hold.isPresent();
    }
}
