package dev.stripeflare;

/**
 * What {@link Wallet#completeCheckout} did for the browser returning from a checkout. Only
 * {@link #LINKED} and {@link #PENDING} change anything; every other outcome changed nothing.
 */
public enum CheckoutOutcome {
    /**
     * The checkout paid into an existing account (the payer's, found by card or verified email),
     * and the presented token now opens it: login by payment on this device.
     */
    LINKED,
    /**
     * The presented token already opens the account the checkout paid into (a top-up of its own
     * account, or a repeated return). Nothing changed.
     */
    ALREADY_LINKED,
    /**
     * Stripe has not delivered the payment yet. The return is recorded: when the payment is
     * credited (within the wallet's pending window), the presented token is attached to the
     * account it pays into, in the same step.
     */
    PENDING,
    /**
     * Refused, nothing changed: the presented token is not the one whose payment link was paid,
     * it was revoked or opens another account, the account was deleted, the checkout was claimed
     * before, or the token is malformed.
     */
    REFUSED,
    /** The checkout's claim window has passed. Nothing changed. */
    EXPIRED
}
