package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A paid checkout that the wallet received but could not credit to any account, kept for an
 * operator to {@linkplain Wallet#assignUnclaimedPayment assign} to an account or
 * {@linkplain Wallet#markUnclaimedPaymentRefunded mark refunded}: money Stripe collected that no
 * balance shows. Recorded exactly once per checkout session (a redelivered event, or the
 * checkout's second event, is a duplicate). Immutable; a resolution is a new value.
 *
 * @param id              the checkout session id ({@code cs_…}): what the operator looks up in
 *                        Stripe's Dashboard, and what assigns or refunds it here
 * @param operationId     the operation id the store recorded it under ({@code "checkout:" + id}),
 *                        so a later delivery of the same checkout is a duplicate
 * @param paymentIntentId the checkout's PaymentIntent ({@code pi_…}), which refunds and disputes
 *                        name, if the checkout had one
 * @param amountCents     what was paid, strictly positive, in minor units of {@code currency}
 * @param currency        the currency paid, lower-case ISO 4217
 * @param payerEmail      the email the checkout collected, if any (never verified by Stripe)
 * @param reason          why it could not be credited
 * @param receivedAt      when the wallet received it (the wallet's clock)
 * @param status          open, or how an operator resolved it
 * @param assignedUserId  the account it was credited to, when {@code ASSIGNED}
 * @param note            the operator's note, when resolved with one
 * @param resolvedAt      when it was resolved, unless {@code OPEN}
 */
public record UnclaimedPayment(
        String id,
        String operationId,
        Optional<String> paymentIntentId,
        long amountCents,
        String currency,
        Optional<String> payerEmail,
        Reason reason,
        Instant receivedAt,
        Status status,
        OptionalLong assignedUserId,
        Optional<String> note,
        Optional<Instant> resolvedAt) {

    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");

    /**
     * Creates the record, checking its components.
     *
     * @param id              the checkout session id ({@code cs_…}): what the operator looks up in
     *        Stripe's Dashboard, and what assigns or refunds it here
     * @param operationId     the operation id the store recorded it under ({@code "checkout:" + id}),
     *        so a later delivery of the same checkout is a duplicate
     * @param paymentIntentId the checkout's PaymentIntent ({@code pi_…}), which refunds and disputes
     *        name, if the checkout had one
     * @param amountCents     what was paid, strictly positive, in minor units of {@code currency}
     * @param currency        the currency paid, lower-case ISO 4217
     * @param payerEmail      the email the checkout collected, if any (never verified by Stripe)
     * @param reason          why it could not be credited
     * @param receivedAt      when the wallet received it (the wallet's clock)
     * @param status          open, or how an operator resolved it
     * @param assignedUserId  the account it was credited to, when {@code ASSIGNED}
     * @param note            the operator's note, when resolved with one
     * @param resolvedAt      when it was resolved, unless {@code OPEN}
     */
    public UnclaimedPayment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(paymentIntentId, "paymentIntentId");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(currency, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be a lower-case ISO 4217 code, was " + currency);
        }
        Objects.requireNonNull(payerEmail, "payerEmail");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(assignedUserId, "assignedUserId");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        if ((status == Status.ASSIGNED) != assignedUserId.isPresent()) {
            throw new IllegalArgumentException("an assigned payment, and only one, names its account");
        }
        if ((status == Status.OPEN) != resolvedAt.isEmpty()) {
            throw new IllegalArgumentException("a resolved payment, and only one, has a resolution time");
        }
    }

    /**
     * A payment just received, open: {@code operationId} is {@code "checkout:" + checkoutSessionId}.
     *
     * @param checkoutSessionId the checkout's id, also the payment's
     * @param paymentIntentId   the PaymentIntent, or null
     * @param amountCents       what was paid, in minor units of {@code currency}
     * @param currency          the currency paid in
     * @param payerEmail        the payer's email, or null
     * @param reason            why it was not credited
     * @param at                when it was received
     * @return the open payment
     */
    public static UnclaimedPayment received(String checkoutSessionId, String paymentIntentId, long amountCents,
                                            String currency, String payerEmail, Reason reason, Instant at) {
        return new UnclaimedPayment(checkoutSessionId, "checkout:" + checkoutSessionId,
                Optional.ofNullable(paymentIntentId), amountCents, currency, Optional.ofNullable(payerEmail), reason,
                at, Status.OPEN, OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * This payment, assigned to {@code userId} at {@code at}.
     *
     * @param userId the account credited
     * @param note   why, or null
     * @param at     when
     * @return the assigned payment
     */
    public UnclaimedPayment assignedTo(long userId, String note, Instant at) {
        return new UnclaimedPayment(id, operationId, paymentIntentId, amountCents, currency, payerEmail, reason,
                receivedAt, Status.ASSIGNED, OptionalLong.of(userId), Optional.ofNullable(note), Optional.of(at));
    }

    /**
     * This payment, marked refunded at {@code at}.
     *
     * @param note why, or null
     * @param at   when
     * @return the refunded payment
     */
    public UnclaimedPayment refunded(String note, Instant at) {
        return new UnclaimedPayment(id, operationId, paymentIntentId, amountCents, currency, payerEmail, reason,
                receivedAt, Status.REFUNDED, OptionalLong.empty(), Optional.ofNullable(note), Optional.of(at));
    }

    /**
     * Whether it still waits for an operator.
     *
     * @return true while neither assigned nor refunded
     */
    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** Why a paid checkout could not be credited. */
    public enum Reason {
        /**
         * The checkout carried no {@code client_reference_id}, although it was a checkout of the
         * wallet's own Payment Link (someone shared the bare link).
         */
        MISSING_REFERENCE,
        /**
         * The {@code client_reference_id} did not decrypt under any of the wallet's
         * {@code DB_SECRET}s: typically an instance running with another secret issued the link.
         */
        UNREADABLE_REFERENCE,
        /** Paid in another currency than the wallet's (e.g. a Payment Link set in another currency). */
        OTHER_CURRENCY,
        /** A live-mode payment delivered to a wallet whose API key is a test key. */
        WRONG_MODE
    }

    /** Where an unclaimed payment stands. Each payment leaves {@code OPEN} at most once. */
    public enum Status {
        /** Waiting for an operator. */
        OPEN,
        /** Credited to an account ({@link #assignedUserId}) with a ledger entry. */
        ASSIGNED,
        /** Marked as refunded to the payer by the operator; never credited. */
        REFUNDED
    }
}
