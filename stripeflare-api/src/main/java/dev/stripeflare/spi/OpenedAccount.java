package dev.stripeflare.spi;

import java.util.Objects;

/**
 * What {@link UserStore#openAccount} did with a visitor's token hash.
 *
 * @param status what happened
 * @param userId the account the token hash opens ({@code CREATED}, {@code EXISTING}); 0 for
 *               {@code REVOKED}
 */
public record OpenedAccount(Status status, long userId) {

    /** The outcome. Only {@code CREATED} changed anything. */
    public enum Status {
        /** A new account with a zero balance was created and the token hash opens it. */
        CREATED,
        /** The token hash already opened this account; nothing changed. */
        EXISTING,
        /**
         * The token hash was revoked (rotated away, or its account deleted): it never opens an
         * account again, so none was created.
         */
        REVOKED
    }

    /**
     * Checks that the user id agrees with the status.
     *
     * @param status what happened
     * @param userId the account the token hash opens, or 0 for {@code REVOKED}
     * @throws IllegalArgumentException if the user id contradicts the status
     */
    public OpenedAccount {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REVOKED) != (userId == 0)) {
            throw new IllegalArgumentException(status + " with user id " + userId);
        }
    }

    /**
     * Whether the token hash opens an account now.
     *
     * @return true for {@code CREATED} and {@code EXISTING}
     */
    public boolean opens() {
        return status != Status.REVOKED;
    }
}
