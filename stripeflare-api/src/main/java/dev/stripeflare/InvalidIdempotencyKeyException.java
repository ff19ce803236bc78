package dev.stripeflare;

/**
 * An idempotency key was blank, longer than {@value #MAX_LENGTH} characters, or held control
 * characters. Thrown before anything is read or written: nothing changed.
 */
public final class InvalidIdempotencyKeyException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** The longest idempotency key accepted, in characters (Stripe's own limit). */
    public static final int MAX_LENGTH = 255;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public InvalidIdempotencyKeyException(String message) {
        super(message);
    }
}
