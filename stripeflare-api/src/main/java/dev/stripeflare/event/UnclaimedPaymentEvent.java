package dev.stripeflare.event;

import dev.stripeflare.UnclaimedPayment;
import java.util.Objects;

/**
 * A paid checkout was kept as an unclaimed payment: Stripe took the money, no balance shows it.
 * An operator should assign or refund it ({@link dev.stripeflare.Wallet#unclaimedPayments()}).
 *
 * @param payment the payment as recorded (open)
 */
public record UnclaimedPaymentEvent(UnclaimedPayment payment) {
    /**
     * Creates the record, checking its components.
     *
     * @param payment the payment as recorded (open)
     */
    public UnclaimedPaymentEvent {
        Objects.requireNonNull(payment, "payment");
    }
}
