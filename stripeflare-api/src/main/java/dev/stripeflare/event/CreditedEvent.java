package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;

/**
 * Money in: a payment was credited.
 *
 * @param userId            the account credited
 * @param amountCents       the cents credited, strictly positive, in the wallet's currency
 * @param balanceAfterCents the account's balance right after the credit (and any reversal applied
 *                          with it)
 * @param operationId       the operation id it was applied under ({@code "checkout:cs_…"})
 * @param paymentIntentId   the payment's PaymentIntent, or null when unknown
 * @param at                when it was credited (the wallet's clock)
 */
public record CreditedEvent(long userId, long amountCents, long balanceAfterCents, String operationId,
                            String paymentIntentId, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account credited
     * @param amountCents       the cents credited, strictly positive, in the wallet's currency
     * @param balanceAfterCents the account's balance right after the credit (and any reversal applied
     *        with it)
     * @param operationId       the operation id it was applied under ({@code "checkout:cs_…"})
     * @param paymentIntentId   the payment's PaymentIntent, or null when unknown
     * @param at                when it was credited (the wallet's clock)
     */
    public CreditedEvent {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
