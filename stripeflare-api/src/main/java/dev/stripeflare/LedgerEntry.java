package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable balance change. Written in the same atomic step as the change itself, so a
 * user's balance always equals the sum of {@code amountCents} over their ledger.
 *
 * @param userId            the account
 * @param amountCents       the signed change in cents: positive for money in, negative for out
 * @param balanceAfterCents the balance right after this change
 * @param kind              why the balance changed
 * @param operationId       the Stripe-derived or other id this change was applied under; null
 *                          for a charge (its idempotency key is kept apart, only for the
 *                          idempotency window: ADR 30) and for an opening balance
 * @param memo              a free-text note, or null
 * @param at                when the change was made, from the wallet's clock
 */
public record LedgerEntry(
        long userId,
        long amountCents,
        long balanceAfterCents,
        LedgerEntryKind kind,
        String operationId,
        String memo,
        Instant at) {

    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account
     * @param amountCents       the signed change in cents: positive for money in, negative for out
     * @param balanceAfterCents the balance right after this change
     * @param kind              why the balance changed
     * @param operationId       the Stripe-derived or other id this change was applied under; null
     *        for a charge (its idempotency key is kept apart, only for the
     *        idempotency window: ADR 30) and for an opening balance
     * @param memo              a free-text note, or null
     * @param at                when the change was made, from the wallet's clock
     */
    public LedgerEntry {
        if (amountCents == 0) {
            throw new IllegalArgumentException("a ledger entry moves money; amount was 0");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
