package dev.stripeflare;

/**
 * The user store failed (I/O, database error, closed store). The operation that threw it was
 * rolled back as a whole: it changed no balance and recorded nothing. Retrying is safe, and
 * with an idempotency key or operation id it can never apply twice.
 */
public class StoreException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what was wrong; never a token or secret
     * @param cause   what caused it
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
