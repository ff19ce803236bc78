package dev.stripeflare;

/**
 * Root of every exception stripeflare throws on purpose. All are unchecked.
 *
 * <p>Unless a subclass says otherwise, an operation that throws a {@code StripeflareException}
 * changed no balance and recorded nothing. Caller bugs (a {@code null} where a value is required)
 * stay {@link NullPointerException}; values that are wrong in a way a caller can act on get a
 * subclass of this type.
 */
public class StripeflareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public StripeflareException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what was wrong; never a token or secret
     * @param cause   what caused it
     */
    public StripeflareException(String message, Throwable cause) {
        super(message, cause);
    }
}
