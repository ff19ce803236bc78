package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A hold as a store keeps it (ADR 34): the most a piece of work may cost, reserved from an
 * account's available balance until it is captured, released or expires.
 *
 * @param holdId         the store-assigned id, unique per store, never reused
 * @param userId         the account it reserves from
 * @param amountCents    what it reserves, strictly positive
 * @param capturedCents  what captures took from the account so far, never negative
 * @param allowOverdraft whether a capture may take more than {@code amountCents} (and the balance below zero)
 * @param status         where it is in its life
 * @param memo           null, or the note given at reservation (copied into capture ledger entries)
 * @param createdAt      when it was reserved
 * @param expiresAt      when it is released if not closed before, strictly after {@code createdAt}
 * @param closedAt       when it was captured, released or expired; null while active
 */
public record HoldState(
        long holdId,
        long userId,
        long amountCents,
        long capturedCents,
        boolean allowOverdraft,
        Status status,
        String memo,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt) {

    /** A hold's life: active, then closed exactly once by one of the three other states. */
    public enum Status {
        /** Reserving {@link #heldCents()} of the account's balance. */
        ACTIVE,
        /** Closed by a final capture. */
        CAPTURED,
        /** Closed by a release (its captured part, if any, stays charged). */
        RELEASED,
        /** Closed because it passed its expiry (its captured part, if any, stays charged). */
        EXPIRED
    }

    /**
     * Checks the components.
     *
     * @param holdId         the store-assigned id, unique per store, never reused
     * @param userId         the account it reserves from
     * @param amountCents    what it reserves, strictly positive
     * @param capturedCents  what captures took from the account so far, never negative
     * @param allowOverdraft whether a capture may take more than {@code amountCents} (and the balance below zero)
     * @param status         where it is in its life; never null
     * @param memo           null, or the note given at reservation (copied into capture ledger entries)
     * @param createdAt      when it was reserved; never null
     * @param expiresAt      when it is released if not closed before; never null
     * @param closedAt       when it was captured, released or expired; null while active
     * @throws InvalidAmountException   if {@code amountCents <= 0}
     * @throws IllegalArgumentException if {@code capturedCents < 0}
     */
    public HoldState {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        if (capturedCents < 0) {
            throw new IllegalArgumentException("capturedCents must be >= 0, was " + capturedCents);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * What the hold still reserves: {@code amountCents − capturedCents} (not below 0) while active, else 0.
     *
     * @return the cents this hold keeps from charges without overdraft and from other holds; never
     *         negative; the account's held cents are the sum of this over its holds
     */
    public long heldCents() {
        return status == Status.ACTIVE ? Math.max(0, amountCents - capturedCents) : 0;
    }

    /**
     * Whether the hold is still active.
     *
     * @return true when {@link #status()} is {@code ACTIVE}: it reserves money and may be captured
     *         or released (unless it is past {@link #expiresAt()}, when the next step expires it)
     */
    public boolean active() {
        return status == Status.ACTIVE;
    }

    /**
     * When it was closed, if it was.
     *
     * @return {@link #closedAt()}: when it was captured, released or expired; empty while active
     */
    public Optional<Instant> closed() {
        return Optional.ofNullable(closedAt);
    }
}
