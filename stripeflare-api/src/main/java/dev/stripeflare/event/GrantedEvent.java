package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Free credit was given.
 *
 * @param userId            the account
 * @param amountCents       the cents granted, strictly positive
 * @param balanceAfterCents the balance right after
 * @param grantedAfterCents the account's unspent granted credit right after
 * @param operationId       the grant's operation id
 * @param reason            the grant's reason
 * @param expiresAt         when its remainder expires; empty if never
 * @param at                when it was given (the wallet's clock)
 */
public record GrantedEvent(long userId, long amountCents, long balanceAfterCents, long grantedAfterCents,
                           String operationId, String reason, Optional<Instant> expiresAt, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account
     * @param amountCents       the cents granted, strictly positive
     * @param balanceAfterCents the balance right after
     * @param grantedAfterCents the account's unspent granted credit right after
     * @param operationId       the grant's operation id
     * @param reason            the grant's reason
     * @param expiresAt         when its remainder expires; empty if never
     * @param at                when it was given (the wallet's clock)
     */
    public GrantedEvent {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(at, "at");
    }
}
