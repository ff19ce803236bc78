package dev.stripeflare.event;

import dev.stripeflare.UnclaimedPayment;
import java.util.Objects;

/**
 * An operator resolved an unclaimed payment: assigned it to an account (then a
 * {@link CreditedEvent} is delivered too) or marked it refunded.
 *
 * @param payment the payment as resolved ({@code ASSIGNED} or {@code REFUNDED})
 */
public record UnclaimedPaymentResolvedEvent(UnclaimedPayment payment) {
    /**
     * Creates the record, checking its components.
     *
     * @param payment the payment as resolved ({@code ASSIGNED} or {@code REFUNDED})
     */
    public UnclaimedPaymentResolvedEvent {
        Objects.requireNonNull(payment, "payment");
    }
}
