package dev.stripeflare;

/**
 * The user store failed (I/O, database error, closed store). The operation that threw it was
 * rolled back as a whole: it changed no balance and recorded nothing. Retrying is safe, and
 * with an idempotency key or operation id it can never apply twice.
 */
public class StoreException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
