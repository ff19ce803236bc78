package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A charge as the store applies it: debit one account, named either by the hash of a presented
 * token ({@link #ofTokenHash}) or by its user id ({@link #ofUser}, for server code that holds no
 * token). A store resolves the account first and then runs its one debit step, whichever way the
 * account was named (ADR 32).
 *
 * @param tokenHash            the hash of the presented token (see {@link UserStore}), or null
 *                             when the debit names its account by {@code userId}
 * @param userId               the account's id when {@code tokenHash} is null; 0 otherwise
 * @param amountCents          strictly positive
 * @param allowNegativeBalance whether the balance may go below zero
 * @param idempotencyKey       null, or the key under which this charge is applied at most once
 *                             per account
 * @param memo                 null, or a note for the ledger
 * @param at                   the time to record
 */
public record Debit(
        String tokenHash,
        long userId,
        long amountCents,
        boolean allowNegativeBalance,
        String idempotencyKey,
        String memo,
        Instant at) {

    /**
     * Validates the debit.
     *
     * @throws InvalidAmountException   if {@code amountCents <= 0}
     * @throws IllegalArgumentException if both a token hash and a non-zero user id are given
     *
     * @param tokenHash            the hash of the presented token (see {@link UserStore}), or null
     *        when the debit names its account by {@code userId}
     * @param userId               the account's id when {@code tokenHash} is null; 0 otherwise
     * @param amountCents          strictly positive
     * @param allowNegativeBalance whether the balance may go below zero
     * @param idempotencyKey       null, or the key under which this charge is applied at most once
     *        per account
     * @param memo                 null, or a note for the ledger
     * @param at                   the time to record
     */
    public Debit {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(at, "at");
        if (tokenHash != null && userId != 0) {
            throw new IllegalArgumentException("a debit names its account by token hash or by user id, not both");
        }
    }

    /**
     * A debit of the account behind {@code tokenHash}; the form stores have always received.
     *
     * @param tokenHash            the hash of the token whose account pays
     * @param amountCents          the amount, in cents, positive
     * @param allowNegativeBalance whether the balance may go below zero
     * @param idempotencyKey       the account's key for this charge, or null
     * @param memo                 the ledger entry's memo, or null
     * @param at                   the time to record
     */
    public Debit(String tokenHash, long amountCents, boolean allowNegativeBalance, String idempotencyKey,
                 String memo, Instant at) {
        this(Objects.requireNonNull(tokenHash, "tokenHash"), 0, amountCents, allowNegativeBalance,
                idempotencyKey, memo, at);
    }

    /**
     * A debit of the account behind {@code tokenHash}.
     *
     * @param tokenHash            the hash of the token whose account pays
     * @param amountCents          the amount, in cents, positive
     * @param allowNegativeBalance whether the balance may go below zero
     * @param idempotencyKey       the account's key for this charge, or null
     * @param memo                 the ledger entry's memo, or null
     * @param at                   the time to record
     * @return the debit
     */
    public static Debit ofTokenHash(String tokenHash, long amountCents, boolean allowNegativeBalance,
                                    String idempotencyKey, String memo, Instant at) {
        return new Debit(tokenHash, amountCents, allowNegativeBalance, idempotencyKey, memo, at);
    }

    /**
     * A debit of the account with id {@code userId}; an unknown id answers {@code NOT_REGISTERED}.
     *
     * @param userId               the account's id
     * @param amountCents          the amount, in cents, positive
     * @param allowNegativeBalance whether the balance may go below zero
     * @param idempotencyKey       the account's key for this charge, or null
     * @param memo                 the ledger entry's memo, or null
     * @param at                   the time to record
     * @return the debit
     */
    public static Debit ofUser(long userId, long amountCents, boolean allowNegativeBalance,
                               String idempotencyKey, String memo, Instant at) {
        return new Debit(null, userId, amountCents, allowNegativeBalance, idempotencyKey, memo, at);
    }

    /**
     * Whether this debit names its account by user id rather than by token hash.
     *
     * @return true for a debit by user id
     */
    public boolean byUserId() {
        return tokenHash == null;
    }
}
