package dev.stripeflare.spi;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link UserStore#reverse(PaymentReversal)} or {@link UserStore#restore} did.
 *
 * @param status       what happened
 * @param userId       the account debited or given back to, when known
 * @param balanceCents the account's balance after the call; 0 when there is none
 * @param movedCents   the cents this call took ({@code reverse}) or gave back ({@code restore});
 *                     0 for a duplicate, a deferral, or a reversal capped to nothing
 */
public record ReversalResult(Status status, OptionalLong userId, long balanceCents, long movedCents) {

    /**
     * Creates the record, checking its components.
     *
     * @param status       what happened
     * @param userId       the account debited or given back to, when known
     * @param balanceCents the account's balance after the call; 0 when there is none
     * @param movedCents   the cents this call took ({@code reverse}) or gave back ({@code restore});
     *        0 for a duplicate, a deferral, or a reversal capped to nothing
     */
    public ReversalResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(userId, "userId");
        if (movedCents < 0) {
            throw new IllegalArgumentException("movedCents is a magnitude, was " + movedCents);
        }
    }

    /** What happened to the reversal. */
    public enum Status {
        /**
         * Done now: {@code reverse} debited {@code movedCents} (capped at what is left of the
         * payment, possibly 0), or {@code restore} gave back what the reversal had taken.
         */
        APPLIED,
        /** This operation id was applied (or deferred, or cancelled) before; nothing changed. */
        DUPLICATE,
        /** No credit for the payment yet: recorded, and applied in the same step as that credit. */
        DEFERRED,
        /**
         * {@code restore} of a reversal that had taken nothing yet (deferred, or not seen at
         * all): it is cancelled and will never apply.
         */
        CANCELLED
    }
}
