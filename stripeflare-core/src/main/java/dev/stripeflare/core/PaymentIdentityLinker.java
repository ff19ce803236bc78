package dev.stripeflare.core;

import dev.stripeflare.spi.PaymentProfile;

/**
 * Login by payment, first half: finds out from Stripe who paid, for a payment from a token that
 * opens no account yet. The second half — which account that identifies, and whether the paying
 * token may open it — is the store's, in the same atomic step as the credit
 * ({@link dev.stripeflare.spi.UserStore#credit}), and the returning browser's
 * ({@link dev.stripeflare.spi.UserStore#claimCheckout}).
 *
 * <p>It reads the payment's method from Stripe's API: a Link payment makes the checkout's email
 * a <em>verified</em> email; a card payment gives the card's fingerprint. An email the checkout
 * merely collected is never treated as verified. Only reads; thread-safe.
 */
final class PaymentIdentityLinker {
    private static final String LINK = "link";

    private final StripePaymentLookup stripe;

    PaymentIdentityLinker(StripePaymentLookup stripe) {
        this.stripe = stripe;
    }

    /**
     * What the payment tells about the payer: the checkout's name and email, plus the verified
     * email and card fingerprint Stripe vouches for.
     *
     * @param paymentIntentId the checkout's PaymentIntent
     * @param name            {@code customer_details.name}, or null
     * @param email           {@code customer_details.email}, or null
     * @throws StripeUnavailableException if Stripe's API cannot tell
     */
    PaymentProfile identify(String paymentIntentId, String name, String email) {
        StripePaymentLookup.PaymentMethod method = stripe.paymentMethodOf(paymentIntentId);
        String verifiedEmail = method.type().filter(LINK::equals).isPresent() && email != null && !email.isBlank()
                ? email : null;
        String fingerprint = method.cardFingerprint().filter(f -> !f.isBlank()).orElse(null);
        return new PaymentProfile(name, email, verifiedEmail, fingerprint);
    }
}
