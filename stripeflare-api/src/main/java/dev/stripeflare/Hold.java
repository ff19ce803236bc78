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

    /** A handle on {@code state} through {@code wallet}; wallets make these, applications need not. */
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

    /** The hold's id in the wallet's store. */
    public long holdId() {
        return holdId;
    }

    /** The account it reserves from. */
    public long userId() {
        return userId;
    }

    /** What it reserves. */
    public long amountCents() {
        return amountCents;
    }

    /** Whether captures may take more than {@link #amountCents()}. */
    public boolean allowOverdraft() {
        return allowOverdraft;
    }

    /** When it is released if not closed before. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** What this handle's captures took so far. */
    public synchronized long capturedCents() {
        return capturedCents;
    }

    /** Whether this handle saw the hold closed. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the hold at the work's whole cost {@code totalCents} (including what
     * {@link #captureSome} took): charges what is not captured yet and releases the rest.
     */
    public synchronized HoldResult capture(long totalCents) {
        return seen(wallet.capture(holdId, totalCents));
    }

    /** Charges {@code moreCents} more now and keeps the hold open for the rest. */
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

    /** Releases the hold; what was captured stays charged. */
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
