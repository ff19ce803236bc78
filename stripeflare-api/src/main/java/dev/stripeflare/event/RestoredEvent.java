package dev.stripeflare.event;

import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Objects;

/**
 * Money given back: what a refund or dispute had taken returned to the account (a dispute won, a
 * refund that failed).
 *
 * @param userId            the account given back to
 * @param amountCents       the cents given back, strictly positive
 * @param balanceAfterCents the account's balance right after
 * @param kind              {@code DISPUTE_WON} or {@code REFUND_FAILED}
 * @param operationId       the restoration's operation id
 * @param at                when it was applied (the wallet's clock)
 */
public record RestoredEvent(long userId, long amountCents, long balanceAfterCents, LedgerEntryKind kind,
                            String operationId, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account given back to
     * @param amountCents       the cents given back, strictly positive
     * @param balanceAfterCents the account's balance right after
     * @param kind              {@code DISPUTE_WON} or {@code REFUND_FAILED}
     * @param operationId       the restoration's operation id
     * @param at                when it was applied (the wallet's clock)
     */
    public RestoredEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
