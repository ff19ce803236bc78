package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An account as a store keeps it. Text fields are null when unknown.
 *
 * @param userId          the stable id, assigned by the store at creation, never reused
 * @param balanceCents    the balance in cents
 * @param name            the payer's name, or null
 * @param email           the payer's email, or null
 * @param verifiedEmail   an email Stripe verified, or null
 * @param cardFingerprint the fingerprint of the first card that paid, or null
 * @param customFields    application-defined fields; unmodifiable, never null; a field whose
 *                        value is null is left out
 * @param createdAt       when the account was created
 * @param grantedCents    the part of the balance that is unspent granted credit (ACTIVE grants'
 *                        remainders), never negative
 * @param nextGrantExpiry the earliest expiry among ACTIVE grants with credit left, or null
 * @param heldCents       what the account's ACTIVE holds reserve (ADR 34), never negative
 * @param nextHoldExpiry  the earliest expiry among ACTIVE holds, or null
 */
public record UserRecord(
        long userId,
        long balanceCents,
        String name,
        String email,
        String verifiedEmail,
        String cardFingerprint,
        Map<String, Object> customFields,
        Instant createdAt,
        long grantedCents,
        Instant nextGrantExpiry,
        long heldCents,
        Instant nextHoldExpiry) {

    /**
     * Creates the record, checking its components.
     *
     * @param userId          the stable id, assigned by the store at creation, never reused
     * @param balanceCents    the balance in cents
     * @param name            the payer's name, or null
     * @param email           the payer's email, or null
     * @param verifiedEmail   an email Stripe verified, or null
     * @param cardFingerprint the fingerprint of the first card that paid, or null
     * @param customFields    application-defined fields; unmodifiable, never null; a field whose
     *        value is null is left out
     * @param createdAt       when the account was created
     * @param grantedCents    the part of the balance that is unspent granted credit (ACTIVE grants'
     *        remainders), never negative
     * @param nextGrantExpiry the earliest expiry among ACTIVE grants with credit left, or null
     * @param heldCents       what the account's ACTIVE holds reserve (ADR 34), never negative
     * @param nextHoldExpiry  the earliest expiry among ACTIVE holds, or null
     * @throws IllegalArgumentException if {@code grantedCents} or {@code heldCents} is negative
     */
    public UserRecord {
        if (heldCents < 0) {
            throw new IllegalArgumentException("heldCents must be >= 0, was " + heldCents);
        }
        if (grantedCents < 0) {
            throw new IllegalArgumentException("grantedCents must be >= 0, was " + grantedCents);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        customFields = Map.copyOf(customFields);
    }

    /**
     * An account without granted credit (the constructor from before grants).
     *
     * @param userId          the account's id
     * @param balanceCents    the balance, in cents
     * @param name            the payer's name, or null
     * @param email           the payer's email, or null
     * @param verifiedEmail   a Link-verified email, or null
     * @param cardFingerprint the fingerprint of the card that paid, or null
     * @param customFields    application-defined fields
     * @param createdAt       when the account was created
     */
    public UserRecord(long userId, long balanceCents, String name, String email, String verifiedEmail,
                      String cardFingerprint, Map<String, Object> customFields, Instant createdAt) {
        this(userId, balanceCents, name, email, verifiedEmail, cardFingerprint, customFields, createdAt, 0, null);
    }

    /**
     * An account without holds (the constructor from before holds): nothing held, no hold expiry.
     *
     * @param userId          the stable id, assigned by the store at creation, never reused
     * @param balanceCents    the balance in cents
     * @param name            the payer's name, or null
     * @param email           the payer's email, or null
     * @param verifiedEmail   an email Stripe verified, or null
     * @param cardFingerprint the fingerprint of the first card that paid, or null
     * @param customFields    application-defined fields; copied, unmodifiable, never null
     * @param createdAt       when the account was created
     * @param grantedCents    the part of the balance that is unspent granted credit (ACTIVE grants'
     *        remainders), never negative
     * @param nextGrantExpiry the earliest expiry among ACTIVE grants with credit left, or null
     */
    public UserRecord(long userId, long balanceCents, String name, String email, String verifiedEmail,
                      String cardFingerprint, Map<String, Object> customFields, Instant createdAt,
                      long grantedCents, Instant nextGrantExpiry) {
        this(userId, balanceCents, name, email, verifiedEmail, cardFingerprint, customFields, createdAt,
                grantedCents, nextGrantExpiry, 0, null);
    }

    /**
     * The balance less what active holds reserve: what a charge without overdraft may take.
     *
     * @return {@code balanceCents - heldCents}, in cents; negative only after a refund, dispute,
     *         adjustment, grant expiry or overdraft
     */
    public long availableCents() {
        return balanceCents - heldCents;
    }
}
