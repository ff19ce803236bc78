package dev.stripeflare;

import java.util.Objects;

/**
 * A charge of an account named by its user id, for server code that holds no access token (a
 * scheduler, a queue consumer). Immutable; validated on construction with the same rules as
 * {@link ChargeRequest}.
 *
 * <pre>{@code
 * wallet.chargeUser(UserChargeRequest.of(userId, 25).withIdempotencyKey("render-" + jobId));
 * }</pre>
 *
 * <p>A consumer of an at-least-once queue must give every charge an idempotency key derived from
 * the message (its id, or the id of the work it bills): a redelivered message then answers
 * {@link ChargeOutcome#REPLAYED} and charges nothing; without a key every redelivery charges again.
 *
 * @param userId               the account's id ({@link User#userId()})
 * @param amountCents          the amount in cents, strictly positive
 * @param allowNegativeBalance whether the charge may take the balance below zero
 * @param idempotencyKey       null, or a key as {@link ChargeRequest#idempotencyKey()} describes
 * @param memo                 null, or a note kept in the ledger entry (at most 500 characters)
 */
public record UserChargeRequest(
        long userId,
        long amountCents,
        boolean allowNegativeBalance,
        String idempotencyKey,
        String memo) {

    /**
     * Validates the request.
     *
     * @throws InvalidAmountException         if {@code amountCents <= 0}
     * @throws InvalidIdempotencyKeyException if the key is blank, too long or has control characters
     * @throws IllegalArgumentException       if the memo is longer than 500 characters
     *
     * @param userId               the account's id ({@link User#userId()})
     * @param amountCents          the amount in cents, strictly positive
     * @param allowNegativeBalance whether the charge may take the balance below zero
     * @param idempotencyKey       null, or a key as {@link ChargeRequest#idempotencyKey()} describes
     * @param memo                 null, or a note kept in the ledger entry (at most 500 characters)
     */
    public UserChargeRequest {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        if (idempotencyKey != null) {
            ChargeRequest.validateIdempotencyKey(idempotencyKey);
        }
        if (memo != null && memo.length() > ChargeRequest.MAX_MEMO_LENGTH) {
            throw new IllegalArgumentException("memo longer than " + ChargeRequest.MAX_MEMO_LENGTH + " characters");
        }
    }

    /**
     * A charge of {@code amountCents} that may not overdraw, without idempotency key or memo.
     *
     * @param userId      the account's id
     * @param amountCents the amount, in cents
     * @return the request, without key, memo or overdraft
     */
    public static UserChargeRequest of(long userId, long amountCents) {
        return new UserChargeRequest(userId, amountCents, false, null, null);
    }

    /**
     * This request, allowed to take the balance below zero.
     *
     * @return a copy that may take the balance below zero
     */
    public UserChargeRequest allowingNegativeBalance() {
        return new UserChargeRequest(userId, amountCents, true, idempotencyKey, memo);
    }

    /**
     * This request under {@code key}; strongly advised for every charge made from a queue.
     *
     * @param key the idempotency key
     * @return a copy with the key
     */
    public UserChargeRequest withIdempotencyKey(String key) {
        return new UserChargeRequest(userId, amountCents, allowNegativeBalance,
                Objects.requireNonNull(key, "key"), memo);
    }

    /**
     * This request with a memo kept in the ledger.
     *
     * @param newMemo the memo
     * @return a copy with the memo
     */
    public UserChargeRequest withMemo(String newMemo) {
        return new UserChargeRequest(userId, amountCents, allowNegativeBalance, idempotencyKey,
                Objects.requireNonNull(newMemo, "memo"));
    }
}
