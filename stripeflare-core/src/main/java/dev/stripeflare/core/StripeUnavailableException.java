package dev.stripeflare.core;

/**
 * Stripe's API failed, timed out, was unreachable, or answered something unreadable while a
 * webhook needed it. Nothing was written; the webhook answers 503 so that Stripe delivers the
 * event again. The message is safe to log: it never holds a key, token or response body.
 */
final class StripeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StripeUnavailableException(String message) {
        super(message, null, false, false);
    }
}
