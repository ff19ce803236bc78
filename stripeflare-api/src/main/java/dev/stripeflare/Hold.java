package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;

/**
 * A reservation made by {@link Wallet#reserve}: up to {@link #amountCents()} of the account's
 * balance is held for the work until it is captured, released or expires (ADR 34).
 *
 * <p>Closing an uncaptured hold releases it, so a try-with-resources block never leaks a
 * reservation when the work throws. Captures go through the wallet's store and are exactly
 * once: {@link #capture} names the total the work cost, {@link #captureSome} adds a step while a
 * response streams (the store records running totals, so a retried step never charges twice).
 *
 * <p>Thread-safe; meant for the one thread doing the work.
 */
public final class Hold implements AutoCloseable {
    private final Wallet wallet;
    private final long holdId;
    private final long userId;
    private final long amountCents;
    private final boolean allowOverdraft;
    private final Instant expiresAt;
    private long capturedCents;
    private boolean closed;

    /**
     * A handle on {@code state} through {@code wallet}; wallets make these, applications need not.
     *
     * @param wallet the wallet whose store keeps the hold; every capture and release of this handle
     *               goes through it; never null
     * @param state  the hold as the store answered it; the handle copies its id, account, amount,
     *               overdraft flag, expiry and captured total, and starts closed when it is not active
     */
    public Hold(Wallet wallet, HoldState state) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.holdId = state.holdId();
        this.userId = state.userId();
        this.amountCents = state.amountCents();
        this.allowOverdraft = state.allowOverdraft();
        this.expiresAt = state.expiresAt();
        this.capturedCents = state.capturedCents();
        this.closed = !state.active();
    }

    /**
     * The hold's id in the wallet's store.
     *
     * @return the store-assigned id, unique in that store and never reused
     */
    public long holdId() {
        return holdId;
    }

    /**
     * The account it reserves from.
     *
     * @return the id of the account whose balance the hold reserves and whose captures it charges
     */
    public long userId() {
        return userId;
    }

    /**
     * What it reserves.
     *
     * @return the most, in cents, its captures may take without overdraft; strictly positive
     */
    public long amountCents() {
        return amountCents;
    }

    /**
     * Whether captures may take more than {@link #amountCents()}.
     *
     * @return true when a capture may exceed the amount (and take the balance below zero); false
     *         when such a capture is refused with {@link HoldOutcome#EXCEEDS_HOLD}
     */
    public boolean allowOverdraft() {
        return allowOverdraft;
    }

    /**
     * When it is released if not closed before.
     *
     * @return the expiry; at or after it, the hold is released ({@code EXPIRED}) by the account's
     *         next reservation, charge that needs its money, capture or release of it, wallet read,
     *         or {@link Wallet#expireHolds()}, and a capture then charges nothing
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * What this handle's captures took so far.
     *
     * @return the hold's captured total in cents as of this handle's last call (as the store
     *         answered it), never negative; a capture made through another handle shows only after
     *         this handle's next call
     */
    public synchronized long capturedCents() {
        return capturedCents;
    }

    /**
     * Whether this handle saw the hold closed.
     *
     * @return true once a call through this handle answered the hold captured, released or
     *         expired (or it was not active when the handle was made); false does not promise the
     *         hold is still active in the store (it may have expired since)
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the hold at the work's whole cost {@code totalCents} (including what
     * {@link #captureSome} took): charges what is not captured yet and releases the rest.
     * Exactly once: retrying with the same total answers {@link HoldOutcome#REPLAYED} and charges
     * nothing.
     *
     * @param totalCents the whole cost of the work in cents, never negative; at most
     *                   {@link #amountCents()} unless the hold allows overdraft, and not below what
     *                   earlier steps captured
     * @return what the capture did: {@code CAPTURED} with what it charged, or {@code REPLAYED},
     *         {@code CLOSED}, {@code EXPIRED}, {@code EXCEEDS_HOLD}, {@code BELOW_CAPTURED},
     *         {@code INSUFFICIENT_BALANCE} or {@code NOT_FOUND}, each of which charged nothing
     * @throws InvalidAmountException if {@code totalCents < 0}; nothing changed
     */
    public synchronized HoldResult capture(long totalCents) {
        return seen(wallet.capture(holdId, totalCents));
    }

    /**
     * Charges {@code moreCents} more now and keeps the hold open for the rest. The handle adds it
     * to its captured total and sends the store that total, so a retried step never charges twice.
     *
     * @param moreCents what the work cost since the last step, in cents; strictly positive
     * @return what the step did: {@code CAPTURED} with what it charged (the hold stays active), or
     *         {@code REPLAYED} (the store already captured that total) or a refusal
     *         ({@code EXCEEDS_HOLD}, {@code INSUFFICIENT_BALANCE}, {@code CLOSED}, {@code EXPIRED},
     *         {@code NOT_FOUND}), each of which charged nothing
     * @throws InvalidAmountException if {@code moreCents <= 0} or the captured total would overflow
     *                                a long; nothing changed
     */
    public synchronized HoldResult captureSome(long moreCents) {
        InvalidAmountException.requirePositive(moreCents, "moreCents");
        long total;
        try {
            total = Math.addExact(capturedCents, moreCents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("captured total overflows a long");
        }
        return seen(wallet.captureSome(holdId, total));
    }

    /**
     * Releases the hold; what was captured stays charged.
     *
     * @return {@code RELEASED} (what the hold still reserved is available again), {@code REPLAYED}
     *         for a hold already released, {@code CLOSED} for a captured one, {@code EXPIRED} or
     *         {@code NOT_FOUND}; a release never charges anything
     */
    public synchronized HoldResult release() {
        return seen(wallet.release(holdId));
    }

    /** Releases the hold unless this handle saw it closed already. */
    @Override
    public synchronized void close() {
        if (!closed) {
            release();
        }
    }

    private HoldResult seen(HoldResult result) {
        result.hold().ifPresent(h -> capturedCents = h.capturedCents());
        closed = result.closed();
        return result;
    }

    @Override
    public String toString() {
        return "Hold[holdId=" + holdId + ", userId=" + userId + ", amountCents=" + amountCents + ", expiresAt="
                + expiresAt + "]";
    }
}
