package dev.stripeflare.spi;

import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Objects;

/**
 * Gives back what an earlier reversal took: a dispute the merchant won
 * ({@code charge.dispute.closed}, status {@code won}) or a refund that failed
 * ({@code charge.refund.updated}, status {@code failed}). Exactly once per operation id.
 *
 * @param operationId         the id this restoration is applied under (e.g.
 *                            {@code "dispute-won:" + dispute id})
 * @param reversalOperationId the {@link PaymentReversal#operationId()} being undone
 * @param kind                {@link LedgerEntryKind#DISPUTE_WON} or
 *                            {@link LedgerEntryKind#REFUND_FAILED}
 * @param memo                null, or a note for the ledger
 * @param at                  the time to record
 */
public record PaymentRestoration(
        String operationId,
        String reversalOperationId,
        LedgerEntryKind kind,
        String memo,
        Instant at) {

    /**
     * Creates the record, checking its components.
     *
     * @param operationId         the id this restoration is applied under (e.g.
     *        {@code "dispute-won:" + dispute id})
     * @param reversalOperationId the {@link PaymentReversal#operationId()} being undone
     * @param kind                {@link LedgerEntryKind#DISPUTE_WON} or
     *        {@link LedgerEntryKind#REFUND_FAILED}
     * @param memo                null, or a note for the ledger
     * @param at                  the time to record
     */
    public PaymentRestoration {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(reversalOperationId, "reversalOperationId");
        if (kind != LedgerEntryKind.DISPUTE_WON && kind != LedgerEntryKind.REFUND_FAILED) {
            throw new IllegalArgumentException("a restoration is DISPUTE_WON or REFUND_FAILED, not " + kind);
        }
        Objects.requireNonNull(at, "at");
    }
}
