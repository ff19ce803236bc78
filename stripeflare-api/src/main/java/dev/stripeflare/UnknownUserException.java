package dev.stripeflare;

/**
 * No account has the given user id (it never existed or was deleted), for an operation that
 * addresses an account by id. Nothing changed.
 */
public final class UnknownUserException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    public UnknownUserException(long userId) {
        super("no account with user id " + userId);
    }
}
