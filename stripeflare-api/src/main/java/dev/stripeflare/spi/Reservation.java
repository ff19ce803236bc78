package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A hold as the store makes it ({@link UserStore#reserve}), naming its account by token hash or
 * by user id as a {@link Debit} does.
 *
 * @param tokenHash      the presented token's hash, or null when {@code userId} names the account
 * @param userId         the account's id when {@code tokenHash} is null; 0 otherwise
 * @param amountCents    strictly positive
 * @param allowOverdraft whether captures may exceed the amount
 * @param idempotencyKey null, or the key under which this hold is made at most once per account
 *                       (its own namespace, apart from charge keys)
 * @param memo           null, or a note
 * @param expiresAt      strictly after {@code at}
 * @param at             the time to record
 */
public record Reservation(String tokenHash, long userId, long amountCents, boolean allowOverdraft,
                          String idempotencyKey, String memo, Instant expiresAt, Instant at) {

    /**
     * Checks the components.
     *
     * @param tokenHash      the presented token's hash, or null when {@code userId} names the account
     * @param userId         the account's id when {@code tokenHash} is null; 0 otherwise
     * @param amountCents    what the hold reserves, strictly positive
     * @param allowOverdraft whether captures may exceed the amount
     * @param idempotencyKey null, or the key under which this hold is made at most once per account
     *                       (its own namespace, apart from charge keys)
     * @param memo           null, or a note kept on the hold and copied into its captures' ledger entries
     * @param expiresAt      when the hold is released if not closed before; strictly after {@code at}
     * @param at             the time to record, and against which due holds are released first
     * @throws InvalidAmountException   if {@code amountCents <= 0}
     * @throws IllegalArgumentException if the account is named both or neither way, or the hold
     *                                  does not expire after {@code at}
     */
    public Reservation {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(at, "at");
        if ((tokenHash == null) == (userId == 0)) {
            throw new IllegalArgumentException("a hold names its account by token hash or by user id, exactly one");
        }
        if (!expiresAt.isAfter(at)) {
            throw new IllegalArgumentException("a hold must expire after it is made");
        }
    }

    /**
     * Whether the account is named by user id.
     *
     * @return true when {@code tokenHash} is null and {@code userId} names the account; false when
     *         the token hash does
     */
    public boolean byUserId() {
        return tokenHash == null;
    }
}
