package dev.stripeflare;

/**
 * A checkout session id is not of Stripe's form ({@code cs_} followed by 1 to 250 letters,
 * digits or underscores), so it cannot name a checkout. Thrown before anything is read or
 * written: nothing changed. Never quotes the rejected value.
 */
public final class InvalidCheckoutSessionIdException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** The one message; it never echoes the id. */
    public InvalidCheckoutSessionIdException() {
        super("not a Stripe checkout session id (expected cs_ followed by 1 to 250 of [A-Za-z0-9_])");
    }
}
