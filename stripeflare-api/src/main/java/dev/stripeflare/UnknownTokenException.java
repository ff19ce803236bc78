package dev.stripeflare;

/**
 * An access token does not belong to any registered user (it is malformed, was never stored,
 * or was rotated away), for an operation that needs one. Nothing changed.
 */
public final class UnknownTokenException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** The one message; it never echoes the token. */
    public UnknownTokenException() {
        super("access token does not belong to a registered user");
    }
}
