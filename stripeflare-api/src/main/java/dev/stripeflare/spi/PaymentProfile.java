package dev.stripeflare.spi;

/**
 * What a payment tells about the payer. Any field may be null when Stripe did not provide it.
 *
 * @param name            {@code customer_details.name}
 * @param email           {@code customer_details.email}
 * @param verifiedEmail   the email, when Stripe verified it (a Link payment)
 * @param cardFingerprint {@code payment_method_details.card.fingerprint}
 */
public record PaymentProfile(String name, String email, String verifiedEmail, String cardFingerprint) {

    /**
     * A profile that knows nothing.
     *
     * @return a profile with nothing known
     */
    public static PaymentProfile empty() {
        return new PaymentProfile(null, null, null, null);
    }
}
