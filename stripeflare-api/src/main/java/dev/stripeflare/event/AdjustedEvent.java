package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's adjustment changed a balance ({@code Wallet.adjust}); raised once, when it was
 * applied, never for a replay of its operation id.
 *
 * @param userId            the account adjusted
 * @param amountCents       the signed change in cents, never 0
 * @param balanceAfterCents the balance right after the adjustment
 * @param reason            why, as the operator gave it (also the ledger entry's memo)
 * @param operationId       the adjustment's operation id
 * @param at                when it was applied (the wallet's clock)
 */
public record AdjustedEvent(long userId, long amountCents, long balanceAfterCents, String reason,
                            String operationId, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account adjusted
     * @param amountCents       the signed change in cents, never 0
     * @param balanceAfterCents the balance right after the adjustment
     * @param reason            why, as the operator gave it (also the ledger entry's memo)
     * @param operationId       the adjustment's operation id
     * @param at                when it was applied (the wallet's clock)
     */
    public AdjustedEvent {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
