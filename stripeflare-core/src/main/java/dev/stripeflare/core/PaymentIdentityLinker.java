package dev.stripeflare.core;

import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Login by payment (spec §4 steps 6–8): decides which existing account, if any, a payment from a
 * token with no account yet belongs to.
 *
 * <p>It reads the payment's method from Stripe's API: a Link payment makes the checkout's email
 * a <em>verified</em> email, a card payment gives the card's fingerprint. An account with that
 * verified email wins, else the oldest account with that card; none means a new account. This
 * class only reads; the store attaches the token and credits in one atomic step.
 */
final class PaymentIdentityLinker {
    private static final String LINK = "link";

    private final UserStore store;
    private final StripePaymentLookup stripe;

    PaymentIdentityLinker(UserStore store, StripePaymentLookup stripe) {
        this.store = store;
        this.stripe = stripe;
    }

    /** Who paid, and the account the paying token should join (empty: a new account). */
    record Identity(PaymentProfile profile, OptionalLong linkToUserId) {
    }

    /**
     * @param paymentIntentId the checkout's PaymentIntent
     * @param name            {@code customer_details.name}, or null
     * @param email           {@code customer_details.email}, or null
     * @throws StripeUnavailableException if Stripe's API cannot tell
     */
    Identity identify(String paymentIntentId, String name, String email) {
        StripePaymentLookup.PaymentMethod method = stripe.paymentMethodOf(paymentIntentId);
        String verifiedEmail = method.type().filter(LINK::equals).isPresent() && email != null && !email.isBlank()
                ? email : null;
        String fingerprint = method.cardFingerprint().filter(f -> !f.isBlank()).orElse(null);
        Optional<UserRecord> owner = Optional.empty();
        if (verifiedEmail != null) {
            owner = store.findByVerifiedEmail(verifiedEmail);
        }
        if (owner.isEmpty() && fingerprint != null) {
            owner = store.findByCardFingerprint(fingerprint);
        }
        return new Identity(new PaymentProfile(name, email, verifiedEmail, fingerprint),
                owner.map(user -> OptionalLong.of(user.userId())).orElse(OptionalLong.empty()));
    }
}
