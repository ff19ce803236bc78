package dev.stripeflare.spi;

import java.util.Objects;

/**
 * What {@link UserStore#credit(PaymentCredit)} did.
 *
 * @param status       applied now, or already applied before
 * @param userId       the account credited; for a duplicate, the account the first credit went
 *                     to, else (the id was only settled) the token's account, else 0
 * @param balanceCents that account's balance after the call, 0 when there is none
 * @param account      how the account was found; {@code EXISTING} for a duplicate
 */
public record CreditResult(Status status, long userId, long balanceCents, Account account) {

    /**
     * Creates the record, checking its components.
     *
     * @param status       applied now, or already applied before
     * @param userId       the account credited; for a duplicate, the account the first credit went
     *        to, else (the id was only settled) the token's account, else 0
     * @param balanceCents that account's balance after the call, 0 when there is none
     * @param account      how the account was found; {@code EXISTING} for a duplicate
     */
    public CreditResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(account, "account");
    }

    /** Whether the credit was applied by this call. */
    public enum Status {
        /** This call applied the credit. */
        APPLIED,
        /** The operation id was applied before; nothing changed. */
        DUPLICATE
    }

    /** How the credited account was found, and whether the paying token opens it now. */
    public enum Account {
        /** The token already opened the account. */
        EXISTING,
        /**
         * The token was revoked (rotated away or its account deleted); the account it used to
         * open was credited and the token stays revoked.
         */
        REVOKED_TOKEN,
        /**
         * The token opened nothing; the payer's existing account (same verified email, else
         * same card) was credited. The token does not open it until the browser that completed
         * the checkout claims it ({@link UserStore#claimCheckout}).
         */
        IDENTIFIED,
        /**
         * As {@link #IDENTIFIED}, and that browser had already claimed the checkout with this
         * token, so the token was attached to the account in the same step.
         */
        LINKED,
        /** A new account was created for the payer, and the token opens it. */
        CREATED
    }
}
