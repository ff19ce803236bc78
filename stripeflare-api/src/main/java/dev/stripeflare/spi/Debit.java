package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A charge as the store applies it: debit the account behind {@code tokenHash}.
 *
 * @param tokenHash            the hash of the presented token (see {@link UserStore})
 * @param amountCents          strictly positive
 * @param allowNegativeBalance whether the balance may go below zero
 * @param idempotencyKey       null, or the key under which this charge is applied at most once
 *                             per account
 * @param memo                 null, or a note for the ledger
 * @param at                   the time to record
 */
public record Debit(
        String tokenHash,
        long amountCents,
        boolean allowNegativeBalance,
        String idempotencyKey,
        String memo,
        Instant at) {

    public Debit {
        Objects.requireNonNull(tokenHash, "tokenHash");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(at, "at");
    }
}
