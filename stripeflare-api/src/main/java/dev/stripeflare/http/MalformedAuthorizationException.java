package dev.stripeflare.http;

import dev.stripeflare.StripeflareException;

/**
 * An {@code Authorization} header that says {@code Bearer} but is not {@code Bearer <token68>}:
 * answer 400. An API client must learn of its mistake, not silently be given a fresh empty wallet.
 */
public final class MalformedAuthorizationException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** The one message: it never echoes the header, which may hold a credential. */
    public MalformedAuthorizationException() {
        super("Malformed Authorization header: expected Bearer followed by a token");
    }
}
