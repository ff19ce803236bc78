package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A grant of free credit as the store applies it ({@link UserStore#grant}).
 *
 * @param userId      the account
 * @param amountCents strictly positive
 * @param operationId the id under which it is applied at most once per store
 * @param reason      the ledger memo
 * @param expiresAt   when its unspent remainder expires, strictly after {@code at}; null for never
 * @param at          the time to record
 */
public record CreditGrant(long userId, long amountCents, String operationId, String reason, Instant expiresAt,
                          Instant at) {

    /**
     * @throws InvalidAmountException   if {@code amountCents} is not strictly positive
     * @throws IllegalArgumentException if {@code expiresAt} is not after {@code at}
     *
     * @param userId      the account
     * @param amountCents strictly positive
     * @param operationId the id under which it is applied at most once per store
     * @param reason      the ledger memo
     * @param expiresAt   when its unspent remainder expires, strictly after {@code at}; null for never
     * @param at          the time to record
     */
    public CreditGrant {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
        if (expiresAt != null && !expiresAt.isAfter(at)) {
            throw new IllegalArgumentException("a grant must expire after it is given");
        }
    }
}
