package dev.stripeflare;

import java.util.Objects;

/**
 * What to charge, whom, and how. Immutable; validated on construction, so an instance always
 * describes a charge that can be attempted.
 *
 * <pre>{@code
 * wallet.charge(ChargeRequest.of(token, 25).withIdempotencyKey(requestId).withMemo("GET /report"));
 * }</pre>
 *
 * @param accessToken          the presented token; never null
 * @param amountCents          the amount in cents, strictly positive
 * @param allowNegativeBalance whether the charge may take the balance below zero
 * @param idempotencyKey       null, or 1..{@value InvalidIdempotencyKeyException#MAX_LENGTH}
 *                             printable characters identifying this charge for this user: a retry
 *                             with the same key returns the first result and moves no money
 * @param memo                 null, or a note kept in the ledger entry (at most 500 characters)
 */
public record ChargeRequest(
        String accessToken,
        long amountCents,
        boolean allowNegativeBalance,
        String idempotencyKey,
        String memo) {

    /** The longest memo kept, in characters. */
    public static final int MAX_MEMO_LENGTH = 500;

    /**
     * Validates the request.
     *
     * @throws NullPointerException           if {@code accessToken} is null
     * @throws InvalidAmountException         if {@code amountCents <= 0}
     * @throws InvalidIdempotencyKeyException if the key is blank, too long or has control characters
     * @throws IllegalArgumentException       if the memo is longer than 500 characters
     *
     * @param accessToken          the presented token; never null
     * @param amountCents          the amount in cents, strictly positive
     * @param allowNegativeBalance whether the charge may take the balance below zero
     * @param idempotencyKey       null, or 1..{@value InvalidIdempotencyKeyException#MAX_LENGTH}
     *        printable characters identifying this charge for this user: a retry
     *        with the same key returns the first result and moves no money
     * @param memo                 null, or a note kept in the ledger entry (at most 500 characters)
     */
    public ChargeRequest {
        Objects.requireNonNull(accessToken, "accessToken");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        if (idempotencyKey != null) {
            validateIdempotencyKey(idempotencyKey);
        }
        if (memo != null && memo.length() > MAX_MEMO_LENGTH) {
            throw new IllegalArgumentException("memo longer than " + MAX_MEMO_LENGTH + " characters");
        }
    }

    /**
     * A charge of {@code amountCents} that may not overdraw, without idempotency key or memo.
     *
     * @param accessToken the token whose account pays
     * @param amountCents the amount, in cents
     * @return the request, without key, memo or overdraft
     */
    public static ChargeRequest of(String accessToken, long amountCents) {
        return new ChargeRequest(accessToken, amountCents, false, null, null);
    }

    /**
     * This request, allowed to take the balance below zero.
     *
     * @return a copy that may take the balance below zero
     */
    public ChargeRequest allowingNegativeBalance() {
        return new ChargeRequest(accessToken, amountCents, true, idempotencyKey, memo);
    }

    /**
     * This request under {@code key}; see the class documentation for the key's rules.
     *
     * @param key the idempotency key
     * @return a copy with the key
     */
    public ChargeRequest withIdempotencyKey(String key) {
        return new ChargeRequest(accessToken, amountCents, allowNegativeBalance,
                Objects.requireNonNull(key, "key"), memo);
    }

    /**
     * This request with a memo kept in the ledger.
     *
     * @param newMemo the memo
     * @return a copy with the memo
     */
    public ChargeRequest withMemo(String newMemo) {
        return new ChargeRequest(accessToken, amountCents, allowNegativeBalance, idempotencyKey,
                Objects.requireNonNull(newMemo, "memo"));
    }

    /**
     * Checks an idempotency key against the rules of this class.
     *
     * @param key the key
     * @return the key, when valid
     * @throws InvalidIdempotencyKeyException if it is blank, too long or has control characters
     */
    public static String validateIdempotencyKey(String key) {
        if (key.isBlank()) {
            throw new InvalidIdempotencyKeyException("idempotency key is blank");
        }
        if (key.length() > InvalidIdempotencyKeyException.MAX_LENGTH) {
            throw new InvalidIdempotencyKeyException("idempotency key longer than "
                    + InvalidIdempotencyKeyException.MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new InvalidIdempotencyKeyException("idempotency key holds a control character");
            }
        }
        return key;
    }

    @Override
    public String toString() {
        return "ChargeRequest[accessToken=<redacted>, amountCents=" + amountCents
                + ", allowNegativeBalance=" + allowNegativeBalance
                + ", idempotencyKey=" + idempotencyKey + ", memo=" + memo + "]";
    }
}
