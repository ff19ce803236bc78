package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Objects;

/**
 * Money taken back from the account a payment credited (a refund or dispute), exactly once.
 * The store never takes back more, over all reversals of one payment, than that payment
 * credited (see {@link UserStore#reverse}).
 *
 * @param operationId      the id this reversal is applied under, at most once per store (e.g.
 *                         {@code "refund:" + refund id})
 * @param paymentReference the payment being reversed, as given in {@link PaymentCredit}
 * @param amount           strictly positive: cents of the wallet's currency when
 *                         {@code paymentTotal} is 0, else an amount in the payment's own
 *                         (presentment) currency
 * @param paymentTotal     0, or what the payment charged in its own currency (Adaptive Pricing):
 *                         the reversal then takes {@code amount / paymentTotal} of what the
 *                         payment credited, rounded half up
 * @param kind             {@link LedgerEntryKind#REFUND} or {@link LedgerEntryKind#DISPUTE}
 * @param memo             null, or a note for the ledger
 * @param at               the time to record
 */
public record PaymentReversal(
        String operationId,
        String paymentReference,
        long amount,
        long paymentTotal,
        LedgerEntryKind kind,
        String memo,
        Instant at) {

    /**
     * Creates the record, checking its components.
     *
     * @param operationId      the id this reversal is applied under, at most once per store (e.g.
     *        {@code "refund:" + refund id})
     * @param paymentReference the payment being reversed, as given in {@link PaymentCredit}
     * @param amount           strictly positive: cents of the wallet's currency when
     *        {@code paymentTotal} is 0, else an amount in the payment's own
     *        (presentment) currency
     * @param paymentTotal     0, or what the payment charged in its own currency (Adaptive Pricing):
     *        the reversal then takes {@code amount / paymentTotal} of what the
     *        payment credited, rounded half up
     * @param kind             {@link LedgerEntryKind#REFUND} or {@link LedgerEntryKind#DISPUTE}
     * @param memo             null, or a note for the ledger
     * @param at               the time to record
     */
    public PaymentReversal {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(paymentReference, "paymentReference");
        InvalidAmountException.requirePositive(amount, "amount");
        if (paymentTotal < 0) {
            throw new InvalidAmountException("paymentTotal must be 0 or positive, was " + paymentTotal);
        }
        if (kind != LedgerEntryKind.REFUND && kind != LedgerEntryKind.DISPUTE) {
            throw new IllegalArgumentException("a reversal is a REFUND or DISPUTE, not " + kind);
        }
        Objects.requireNonNull(at, "at");
    }

    /**
     * A reversal of {@code amountCents} in the wallet's currency.
     *
     * @param operationId      the refund's or dispute's operation id, applied at most once
     * @param paymentReference the payment it takes from
     * @param amountCents      what it takes, in the wallet's cents
     * @param kind             the ledger entry's kind
     * @param memo             the ledger entry's memo
     * @param at               the time to record
     */
    public PaymentReversal(String operationId, String paymentReference, long amountCents,
                           LedgerEntryKind kind, String memo, Instant at) {
        this(operationId, paymentReference, amountCents, 0, kind, memo, at);
    }

    /**
     * What this reversal asks to take, in wallet cents, of a payment that credited
     * {@code creditedCents}, before the store caps it at what is left of the payment.
     *
     * @param creditedCents what the payment credited, in cents
     * @return what to take, in cents
     * @throws InvalidAmountException if the result does not fit a {@code long}
     */
    public long requestedCents(long creditedCents) {
        if (paymentTotal == 0) {
            return amount;
        }
        java.math.BigInteger scaled = java.math.BigInteger.valueOf(creditedCents)
                .multiply(java.math.BigInteger.valueOf(amount))
                .multiply(java.math.BigInteger.TWO)
                .add(java.math.BigInteger.valueOf(paymentTotal))
                .divide(java.math.BigInteger.valueOf(paymentTotal).multiply(java.math.BigInteger.TWO));
        if (scaled.bitLength() > 63) {
            throw new InvalidAmountException("reversal of " + amount + "/" + paymentTotal + " overflows");
        }
        return scaled.longValue();
    }
}
