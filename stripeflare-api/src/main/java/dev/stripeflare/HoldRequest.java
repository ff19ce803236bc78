package dev.stripeflare;

import java.time.Duration;
import java.util.Objects;

/**
 * A reservation ({@link Wallet#reserve(HoldRequest)}): the most the work may cost, for how long,
 * from an account named by access token or by user id. Immutable; validated on construction.
 *
 * <pre>{@code
 * try (Hold hold = wallet.reserve(HoldRequest.ofToken(token, 500, Duration.ofMinutes(2))).hold().orElseThrow()) {
 *     long cost = doTheWork();
 *     hold.capture(cost);
 * } // an exception before capture releases the hold
 * }</pre>
 *
 * @param accessToken    the token whose account reserves, or null when {@code userId} names it
 * @param userId         the account's id when {@code accessToken} is null; 0 otherwise
 * @param amountCents    the most the work may cost, strictly positive
 * @param timeToLive     how long the hold lives if neither captured nor released; at least one
 *                       millisecond, at most 30 days
 * @param allowOverdraft whether a capture may take more than reserved (and the balance below zero)
 * @param idempotencyKey null, or a key (as {@link ChargeRequest#idempotencyKey()}) under which this
 *                       reservation is made at most once per account
 * @param memo           null, or a note for the hold and its capture's ledger entries (at most 500 characters)
 */
public record HoldRequest(
        String accessToken,
        long userId,
        long amountCents,
        Duration timeToLive,
        boolean allowOverdraft,
        String idempotencyKey,
        String memo) {

    /** The longest a hold may live. */
    public static final Duration MAX_TIME_TO_LIVE = Duration.ofDays(30);

    /**
     * Checks the components; an invalid request is never built.
     *
     * @param accessToken    the token whose account reserves, or null when {@code userId} names it
     * @param userId         the account's id when {@code accessToken} is null; 0 otherwise
     * @param amountCents    the most the work may cost, strictly positive
     * @param timeToLive     how long the hold lives if neither captured nor released; at least one
     *                       millisecond, at most {@link #MAX_TIME_TO_LIVE}; never null
     * @param allowOverdraft whether a capture may take more than reserved (and the balance below zero)
     * @param idempotencyKey null, or a key (as {@link ChargeRequest#idempotencyKey()}) under which this
     *                       reservation is made at most once per account
     * @param memo           null, or a note for the hold and its capture's ledger entries (at most 500 characters)
     * @throws InvalidAmountException         if {@code amountCents <= 0}
     * @throws InvalidIdempotencyKeyException if the key is blank, too long or has control characters
     * @throws IllegalArgumentException       if the account is named both or neither way, the
     *                                        time-to-live is out of range or the memo too long
     */
    public HoldRequest {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(timeToLive, "timeToLive");
        if ((accessToken == null) == (userId == 0)) {
            throw new IllegalArgumentException("a hold names its account by access token or by user id, exactly one");
        }
        if (timeToLive.compareTo(Duration.ofMillis(1)) < 0 || timeToLive.compareTo(MAX_TIME_TO_LIVE) > 0) {
            throw new IllegalArgumentException("timeToLive must be between 1 ms and 30 days, was " + timeToLive);
        }
        if (idempotencyKey != null) {
            ChargeRequest.validateIdempotencyKey(idempotencyKey);
        }
        if (memo != null && memo.length() > ChargeRequest.MAX_MEMO_LENGTH) {
            throw new IllegalArgumentException("memo longer than " + ChargeRequest.MAX_MEMO_LENGTH + " characters");
        }
    }

    /**
     * A reservation from the account {@code accessToken} opens, without overdraft, key or memo.
     *
     * @param accessToken the token presented by the user; never null
     * @param amountCents the most the work may cost, strictly positive
     * @param timeToLive  how long the hold lives if neither captured nor released (1 ms to 30 days)
     * @return the validated request
     * @throws InvalidAmountException   if {@code amountCents <= 0}
     * @throws IllegalArgumentException if the time-to-live is out of range
     */
    public static HoldRequest ofToken(String accessToken, long amountCents, Duration timeToLive) {
        return new HoldRequest(Objects.requireNonNull(accessToken, "accessToken"), 0, amountCents, timeToLive, false,
                null, null);
    }

    /**
     * A reservation from the account with id {@code userId} (server code without a token), without
     * overdraft, key or memo.
     *
     * @param userId      the account's id; not 0
     * @param amountCents the most the work may cost, strictly positive
     * @param timeToLive  how long the hold lives if neither captured nor released (1 ms to 30 days)
     * @return the validated request
     * @throws InvalidAmountException   if {@code amountCents <= 0}
     * @throws IllegalArgumentException if {@code userId} is 0 or the time-to-live is out of range
     */
    public static HoldRequest ofUser(long userId, long amountCents, Duration timeToLive) {
        if (userId == 0) {
            throw new IllegalArgumentException("userId 0 names no account");
        }
        return new HoldRequest(null, userId, amountCents, timeToLive, false, null, null);
    }

    /**
     * This request, whose captures may take more than reserved.
     *
     * @return a copy of this request with {@code allowOverdraft} true; this request is unchanged
     */
    public HoldRequest allowingOverdraft() {
        return new HoldRequest(accessToken, userId, amountCents, timeToLive, true, idempotencyKey, memo);
    }

    /**
     * This request under {@code key}: a retried reservation answers the same hold.
     *
     * @param key the idempotency key, per account and apart from charge keys; never null, not blank,
     *            no control characters, within {@link ChargeRequest}'s length limit
     * @return a copy of this request with the key; this request is unchanged
     * @throws InvalidIdempotencyKeyException if the key is blank, too long or has control characters
     */
    public HoldRequest withIdempotencyKey(String key) {
        return new HoldRequest(accessToken, userId, amountCents, timeToLive, allowOverdraft,
                Objects.requireNonNull(key, "key"), memo);
    }

    /**
     * This request with a memo.
     *
     * @param newMemo the note kept on the hold and copied into its captures' ledger entries; never
     *                null, at most 500 characters
     * @return a copy of this request with the memo; this request is unchanged
     * @throws IllegalArgumentException if the memo is too long
     */
    public HoldRequest withMemo(String newMemo) {
        return new HoldRequest(accessToken, userId, amountCents, timeToLive, allowOverdraft, idempotencyKey,
                Objects.requireNonNull(newMemo, "memo"));
    }

    /** Hides the access token, a secret. */
    @Override
    public String toString() {
        return "HoldRequest[" + (accessToken == null ? "userId=" + userId : "accessToken=<redacted>")
                + ", amountCents=" + amountCents + ", timeToLive=" + timeToLive + ", allowOverdraft=" + allowOverdraft
                + ", idempotencyKey=" + idempotencyKey + ", memo=" + memo + "]";
    }
}
