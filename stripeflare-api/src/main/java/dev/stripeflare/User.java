package dev.stripeflare;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered user's account as seen through one of its access tokens. Never carries a token.
 *
 * @param userId            the stable id of the account; never changes, shared by all its tokens
 * @param balanceCents      the balance in cents at the time of reading; may be negative after an
 *                          allowed overdraft, a refund or a dispute
 * @param name              the payer's name from Stripe, if known
 * @param email             the payer's email from Stripe, if known
 * @param verifiedEmail     an email Stripe verified (Link payments), if known
 * @param cardFingerprint   the fingerprint of the card that paid, if known
 * @param clientReferenceId the {@code client_reference_id} of the token this user was read through
 * @param customFields      application-defined fields (e.g. columns a migration added); unmodifiable
 * @param grantedCents      the part of {@code balanceCents} that is unspent granted (free) credit,
 *                          never negative; spent before paid credit (see {@link Wallet#grant})
 * @param nextGrantExpiry   when the next grant's unspent remainder expires, if one of the grants
 *                          with credit left has an expiry
 * @param heldCents         what the account's active holds reserve ({@link Wallet#reserve}),
 *                          never negative; charges without overdraft leave it alone
 */
public record User(
        long userId,
        long balanceCents,
        Optional<String> name,
        Optional<String> email,
        Optional<String> verifiedEmail,
        Optional<String> cardFingerprint,
        String clientReferenceId,
        Map<String, Object> customFields,
        long grantedCents,
        Optional<Instant> nextGrantExpiry,
        long heldCents) {

    /**
     * Creates the record, checking its components.
     *
     * @param userId            the stable id of the account; never changes, shared by all its tokens
     * @param balanceCents      the balance in cents at the time of reading; may be negative after an
     *        allowed overdraft, a refund or a dispute
     * @param name              the payer's name from Stripe, if known
     * @param email             the payer's email from Stripe, if known
     * @param verifiedEmail     an email Stripe verified (Link payments), if known
     * @param cardFingerprint   the fingerprint of the card that paid, if known
     * @param clientReferenceId the {@code client_reference_id} of the token this user was read through
     * @param customFields      application-defined fields (e.g. columns a migration added); unmodifiable
     * @param grantedCents      the part of {@code balanceCents} that is unspent granted (free) credit,
     *        never negative; spent before paid credit (see {@link Wallet#grant})
     * @param nextGrantExpiry   when the next grant's unspent remainder expires, if one of the grants
     *        with credit left has an expiry
     * @param heldCents         what the account's active holds reserve ({@link Wallet#reserve}),
     *        never negative; charges without overdraft leave it alone
     * @throws IllegalArgumentException if {@code grantedCents} or {@code heldCents} is negative
     */
    public User {
        if (heldCents < 0) {
            throw new IllegalArgumentException("heldCents must be >= 0, was " + heldCents);
        }
        Objects.requireNonNull(nextGrantExpiry, "nextGrantExpiry");
        if (grantedCents < 0) {
            throw new IllegalArgumentException("grantedCents must be >= 0, was " + grantedCents);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(verifiedEmail, "verifiedEmail");
        Objects.requireNonNull(cardFingerprint, "cardFingerprint");
        Objects.requireNonNull(clientReferenceId, "clientReferenceId");
        customFields = Map.copyOf(customFields);
    }

    /**
     * A user without granted credit: as the canonical constructor with no grants (kept from before grants).
     *
     * @param userId            the account's id
     * @param balanceCents      the balance, in cents
     * @param name              the payer's name, if known
     * @param email             the payer's email, if known
     * @param verifiedEmail     a Link-verified email, if known
     * @param cardFingerprint   the fingerprint of the card that paid, if known
     * @param clientReferenceId the reference of the token it was read through
     * @param customFields      application-defined fields
     */
    public User(long userId, long balanceCents, Optional<String> name, Optional<String> email,
                Optional<String> verifiedEmail, Optional<String> cardFingerprint, String clientReferenceId,
                Map<String, Object> customFields) {
        this(userId, balanceCents, name, email, verifiedEmail, cardFingerprint, clientReferenceId, customFields,
                0, Optional.empty());
    }

    /**
     * A user without holds: as the canonical constructor with nothing held (kept from before holds).
     *
     * @param userId            the stable id of the account; never changes, shared by all its tokens
     * @param balanceCents      the balance in cents at the time of reading; may be negative after an
     *        allowed overdraft, a refund or a dispute
     * @param name              the payer's name from Stripe, if known
     * @param email             the payer's email from Stripe, if known
     * @param verifiedEmail     an email Stripe verified (Link payments), if known
     * @param cardFingerprint   the fingerprint of the card that paid, if known
     * @param clientReferenceId the {@code client_reference_id} of the token this user was read through
     * @param customFields      application-defined fields (e.g. columns a migration added); copied,
     *        unmodifiable
     * @param grantedCents      the part of {@code balanceCents} that is unspent granted (free) credit,
     *        never negative
     * @param nextGrantExpiry   when the next grant's unspent remainder expires, if one of the grants
     *        with credit left has an expiry
     */
    public User(long userId, long balanceCents, Optional<String> name, Optional<String> email,
                Optional<String> verifiedEmail, Optional<String> cardFingerprint, String clientReferenceId,
                Map<String, Object> customFields, long grantedCents, Optional<Instant> nextGrantExpiry) {
        this(userId, balanceCents, name, email, verifiedEmail, cardFingerprint, clientReferenceId, customFields,
                grantedCents, nextGrantExpiry, 0);
    }

    /**
     * The balance less what active holds reserve: what a charge without overdraft, or a new
     * hold, may take. Negative only after a refund, dispute, adjustment or overdraft.
     *
     * @return {@code balanceCents - heldCents}, in cents, as of this reading
     */
    public long availableCents() {
        return balanceCents - heldCents;
    }

    /**
     * The part of the balance that is paid credit: {@code balanceCents - grantedCents}. Negative
     * when refunds, disputes or an overdraft took more than was paid (grants are never taken by
     * refunds or disputes).
     *
     * @return the balance less granted credit, in cents
     */
    public long paidCents() {
        return balanceCents - grantedCents;
    }

    /**
     * Whether this is a registered user, that is, has an account. A {@code User} exists only for
     * an account (created by a first payment, or opened by a token that logged in by payment), so
     * this is always true; an unregistered visitor has no {@code User} at all (see
     * {@link Session#user()}). Kept so that {@code session.user().filter(User::registered)} and
     * similar code read as intended. It does not mean that an email is known: a payment may leave
     * {@link #email()} empty.
     *
     * @return always true: a user is an account
     */
    public boolean registered() {
        return true;
    }

    /**
     * Names every field but the {@code client_reference_id}, which is {@code <redacted>}: it is
     * the key to paying into this account and must not reach logs.
     */
    @Override
    public String toString() {
        return "User[userId=" + userId + ", balanceCents=" + balanceCents + ", name=" + name + ", email=" + email
                + ", verifiedEmail=" + verifiedEmail + ", cardFingerprint=" + cardFingerprint
                + ", clientReferenceId=<redacted>, customFields=" + customFields + ", grantedCents=" + grantedCents
                + ", nextGrantExpiry=" + nextGrantExpiry + ", heldCents=" + heldCents + "]";
    }
}
