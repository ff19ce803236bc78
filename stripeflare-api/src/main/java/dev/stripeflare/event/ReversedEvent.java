package dev.stripeflare.event;

import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Money out by Stripe: a refund or dispute was applied to the account its payment credited, or
 * deferred because that payment is not credited yet.
 *
 * @param userId          the account debited; empty when deferred, or the account was deleted
 * @param takenCents      the cents taken (0 when deferred, or capped to nothing)
 * @param requestedCents  what the refund or dispute asked for, in minor units of its own currency
 *                        (the wallet's, unless it was converted: Adaptive Pricing)
 * @param deferred        whether it waits for its payment's credit (applied in that step)
 * @param kind            {@code REFUND} or {@code DISPUTE}
 * @param operationId     the reversal's operation id ({@code "refund:re_…"}, {@code "dispute:dp_…"})
 * @param paymentIntentId the payment reversed
 * @param at              when it was applied (the wallet's clock)
 */
public record ReversedEvent(OptionalLong userId, long takenCents, long requestedCents, boolean deferred,
                            LedgerEntryKind kind, String operationId, String paymentIntentId, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId          the account debited; empty when deferred, or the account was deleted
     * @param takenCents      the cents taken (0 when deferred, or capped to nothing)
     * @param requestedCents  what the refund or dispute asked for, in minor units of its own currency
     *        (the wallet's, unless it was converted: Adaptive Pricing)
     * @param deferred        whether it waits for its payment's credit (applied in that step)
     * @param kind            {@code REFUND} or {@code DISPUTE}
     * @param operationId     the reversal's operation id ({@code "refund:re_…"}, {@code "dispute:dp_…"})
     * @param paymentIntentId the payment reversed
     * @param at              when it was applied (the wallet's clock)
     */
    public ReversedEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
