package dev.stripeflare.spi;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link UserStore#claimCheckout(CheckoutClaim)} did.
 *
 * @param status what happened
 * @param userId the account the token opens after the call, when it opens one
 */
public record ClaimResult(Status status, OptionalLong userId) {

    /**
     * Creates the record, checking its components.
     *
     * @param status what happened
     * @param userId the account the token opens after the call, when it opens one
     */
    public ClaimResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(userId, "userId");
    }

    /** The outcome of a claim. */
    public enum Status {
        /** The token was attached to the account the checkout paid into. */
        LINKED,
        /** The token already opens that account (a top-up of its own account, or a repeated claim). */
        ALREADY_LINKED,
        /** The checkout is not credited yet; the claim is recorded and the credit will attach the token. */
        PENDING,
        /**
         * Refused, nothing changed: the token is not the one the checkout was opened with, it
         * was revoked, it opens another account, the account was deleted, or the checkout was
         * claimed before.
         */
        REFUSED,
        /** The checkout's claim window has passed; nothing changed. */
        EXPIRED
    }
}
