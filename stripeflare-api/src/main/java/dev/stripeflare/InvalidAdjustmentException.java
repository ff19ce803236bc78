package dev.stripeflare;

/**
 * An adjustment's reason is blank or too long. Thrown before anything is read or written:
 * nothing changed.
 */
public final class InvalidAdjustmentException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public InvalidAdjustmentException(String message) {
        super(message);
    }
}
