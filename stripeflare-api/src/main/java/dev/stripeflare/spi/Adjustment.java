package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A manual correction as the store applies it: change the balance of account {@code userId} by
 * {@code amountCents}, exactly once per {@code operationId}.
 *
 * @param userId               the account
 * @param amountCents          the signed change, never 0: positive credits, negative debits
 * @param allowNegativeBalance whether a negative adjustment may take the balance below zero
 * @param reason               why, kept as the ledger entry's memo; never null
 * @param operationId          the id under which the adjustment is applied at most once per store
 * @param at                   the time to record
 */
public record Adjustment(
        long userId,
        long amountCents,
        boolean allowNegativeBalance,
        String reason,
        String operationId,
        Instant at) {

    /**
     * Validates the adjustment.
     *
     * @throws InvalidAmountException if {@code amountCents} is 0
     *
     * @param userId               the account
     * @param amountCents          the signed change, never 0: positive credits, negative debits
     * @param allowNegativeBalance whether a negative adjustment may take the balance below zero
     * @param reason               why, kept as the ledger entry's memo; never null
     * @param operationId          the id under which the adjustment is applied at most once per store
     * @param at                   the time to record
     */
    public Adjustment {
        if (amountCents == 0) {
            throw new InvalidAmountException("an adjustment must not be 0 cents");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
