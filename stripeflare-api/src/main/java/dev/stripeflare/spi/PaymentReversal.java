package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Objects;

/**
 * Money taken back from the account a payment credited (a refund or dispute), exactly once.
 *
 * @param operationId      the id this reversal is applied under, at most once per store (e.g.
 *                         {@code "refund:" + refund id})
 * @param paymentReference the payment being reversed, as given in {@link PaymentCredit}
 * @param amountCents      strictly positive; the balance may go below zero
 * @param kind             {@link LedgerEntryKind#REFUND} or {@link LedgerEntryKind#DISPUTE}
 * @param memo             null, or a note for the ledger
 * @param at               the time to record
 */
public record PaymentReversal(
        String operationId,
        String paymentReference,
        long amountCents,
        LedgerEntryKind kind,
        String memo,
        Instant at) {

    public PaymentReversal {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(paymentReference, "paymentReference");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        if (kind != LedgerEntryKind.REFUND && kind != LedgerEntryKind.DISPUTE) {
            throw new IllegalArgumentException("a reversal is a REFUND or DISPUTE, not " + kind);
        }
        Objects.requireNonNull(at, "at");
    }
}
