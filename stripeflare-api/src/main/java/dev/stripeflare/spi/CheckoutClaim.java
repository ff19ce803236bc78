package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A browser returning from a checkout it completed (the Payment Link's after-completion
 * redirect carries {@code {CHECKOUT_SESSION_ID}}, which only the payer's browser sees) asks for
 * its token to open the account the checkout paid into. See {@link UserStore#claimCheckout}.
 *
 * @param checkoutId   the checkout session id the browser presented
 * @param tokenHash    the hash of the token the browser holds
 * @param at           the time to record
 * @param pendingUntil when the checkout is not credited yet: until when the claim waits for the
 *                     credit
 */
public record CheckoutClaim(String checkoutId, String tokenHash, Instant at, Instant pendingUntil) {

    /**
     * Creates the record, checking its components.
     *
     * @param checkoutId   the checkout session id the browser presented
     * @param tokenHash    the hash of the token the browser holds
     * @param at           the time to record
     * @param pendingUntil when the checkout is not credited yet: until when the claim waits for the
     *        credit
     */
    public CheckoutClaim {
        Objects.requireNonNull(checkoutId, "checkoutId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(pendingUntil, "pendingUntil");
    }
}
