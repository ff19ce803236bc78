package dev.stripeflare.spi;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link UserStore#reverse(PaymentReversal)} did.
 *
 * @param status       applied, already applied, or deferred until the payment is credited
 * @param userId       the account debited, when known
 * @param balanceCents the account's balance after the call; 0 when deferred
 */
public record ReversalResult(Status status, OptionalLong userId, long balanceCents) {

    public ReversalResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(userId, "userId");
    }

    /** What happened to the reversal. */
    public enum Status {
        /** Debited now. */
        APPLIED,
        /** This operation id was applied (or deferred) before; nothing changed. */
        DUPLICATE,
        /** No credit for the payment yet: recorded, and applied in the same step as that credit. */
        DEFERRED
    }
}
