package dev.stripeflare;

/**
 * What a hold step did ({@link Wallet#reserve}, {@link Wallet#capture}, {@link Wallet#captureSome},
 * {@link Wallet#release}). Only {@link #RESERVED}, {@link #CAPTURED}, {@link #RELEASED} and
 * {@link #EXPIRED} changed anything; every other outcome changed nothing.
 */
public enum HoldOutcome {
    /** A new hold now reserves the amount. */
    RESERVED,
    /**
     * A retry answered with the first result and changed nothing: a reservation under an
     * idempotency key already used for the same amount, a capture to a total already captured,
     * or a release of a hold already released.
     */
    REPLAYED,
    /** No account for the token or user id (never existed, or deleted). */
    NOT_REGISTERED,
    /**
     * The available balance (balance − held) is too low: for a reservation, below the amount;
     * for a capture, below what the capture takes (only after a refund, dispute, adjustment or
     * grant expiry took money the hold was counting on).
     */
    INSUFFICIENT_BALANCE,
    /** The capture debited the account (one {@code CHARGE} ledger entry). */
    CAPTURED,
    /** The hold was released; its remainder is available again. */
    RELEASED,
    /** The hold passed its expiry (now or earlier) and was released; nothing was captured by this call. */
    EXPIRED,
    /** The hold was already closed by a capture or release of another total; nothing changed. */
    CLOSED,
    /** No such hold (never made, or its account was deleted). */
    NOT_FOUND,
    /** The capture asked for more than the hold reserves, and the hold does not allow overdraft. */
    EXCEEDS_HOLD,
    /** A capture total below what the hold has already captured (captured money is not given back). */
    BELOW_CAPTURED
}
