package dev.stripeflare;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link Wallet#completeCheckout}.
 *
 * @param outcome what happened
 * @param user    the account the presented token opens after the call, or empty when it opens
 *                none (a visitor, a {@link CheckoutOutcome#PENDING pending} return, a refused
 *                malformed token)
 */
public record CheckoutResult(CheckoutOutcome outcome, Optional<User> user) {

    /**
     * Creates the record, checking its components.
     *
     * @param outcome what happened
     * @param user    the account the presented token opens after the call, or empty when it opens
     *        none (a visitor, a {@link CheckoutOutcome#PENDING pending} return, a refused
     *        malformed token)
     */
    public CheckoutResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(user, "user");
    }

    /**
     * Whether the presented token opens the account the checkout paid into after the call.
     *
     * @return true if the browser now opens the account
     */
    public boolean loggedIn() {
        return outcome == CheckoutOutcome.LINKED || outcome == CheckoutOutcome.ALREADY_LINKED;
    }
}
