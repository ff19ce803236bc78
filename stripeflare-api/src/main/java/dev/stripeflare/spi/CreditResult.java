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

    public CreditResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(account, "account");
    }

    /** Whether the credit was applied by this call. */
    public enum Status { APPLIED, DUPLICATE }

    /** How the credited account was found. */
    public enum Account {
        /** The token already belonged to the account. */
        EXISTING,
        /** The token was attached to the account given by {@code linkToUserId}. */
        LINKED,
        /** A new account was created for the token. */
        CREATED
    }
}
