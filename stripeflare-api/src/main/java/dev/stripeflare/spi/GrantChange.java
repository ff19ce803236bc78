package dev.stripeflare.spi;

import java.util.Objects;

/**
 * What {@link UserStore#grant} or {@link UserStore#voidGrant} did.
 *
 * @param status            what happened
 * @param userId            the account the grant belongs to (for {@code DUPLICATE}: the account
 *                          the operation id granted to); the asked id for {@code NO_SUCH_ACCOUNT}
 *                          and {@code NOT_FOUND}
 * @param cents             for {@code APPLIED}: the cents granted, or the remainder voided (may be
 *                          0); for {@code DUPLICATE}: the cents the operation id granted; else 0
 * @param balanceAfterCents the account's balance after the call; 0 when there is no account
 * @param grantedAfterCents the account's unspent granted credit after the call
 */
public record GrantChange(Status status, long userId, long cents, long balanceAfterCents, long grantedAfterCents) {

    /** The outcome. Every status but {@code APPLIED} changed nothing. */
    public enum Status {
        /** The grant was given, or voided. */
        APPLIED,
        /** The operation id had already given a grant. */
        DUPLICATE,
        /** No account has the user id. */
        NO_SUCH_ACCOUNT,
        /** The account has no grant under that operation id. */
        NOT_FOUND,
        /** The grant had already expired or been voided. */
        ENDED
    }

    /**
     * Creates the record, checking its components.
     *
     * @param status            what happened
     * @param userId            the account the grant belongs to (for {@code DUPLICATE}: the account
     *        the operation id granted to); the asked id for {@code NO_SUCH_ACCOUNT}
     *        and {@code NOT_FOUND}
     * @param cents             for {@code APPLIED}: the cents granted, or the remainder voided (may be
     *        0); for {@code DUPLICATE}: the cents the operation id granted; else 0
     * @param balanceAfterCents the account's balance after the call; 0 when there is no account
     * @param grantedAfterCents the account's unspent granted credit after the call
     */
    public GrantChange {
        Objects.requireNonNull(status, "status");
    }
}
