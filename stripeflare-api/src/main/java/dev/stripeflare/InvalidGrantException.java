package dev.stripeflare;

/**
 * A grant could not be given or voided as asked: its expiry is not after the wallet's clock, its
 * operation id already gave a different grant, or the grant to void does not exist in that
 * account. Thrown before anything is written: nothing changed.
 */
public final class InvalidGrantException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public InvalidGrantException(String message) {
        super(message);
    }
}
