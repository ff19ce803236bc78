package dev.stripeflare;

/**
 * No account has the given user id: it never existed, or it was deleted. Thrown by the
 * operations that name an account by id (charging, adjusting); nothing changed.
 */
public final class UnknownUserException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** The id that names no account. */
    private final long userId;

    /**
     * An exception for {@code userId}.
     *
     * @param userId the id that names no account
     */
    public UnknownUserException(long userId) {
        super("no account has user id " + userId);
        this.userId = userId;
    }

    /**
     * The id that named no account.
     *
     * @return the id that names no account
     */
    public long userId() {
        return userId;
    }
}
