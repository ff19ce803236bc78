package dev.stripeflare;

/**
 * An idempotency key that already charged a user was presented again with a different amount.
 * The key identifies one operation; reusing it for another is a caller bug that would otherwise
 * hide a lost or doubled charge. Nothing changed.
 */
public final class IdempotencyKeyReusedException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
