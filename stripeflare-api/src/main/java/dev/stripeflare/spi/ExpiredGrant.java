package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A grant that reached its expiry and whose remainder left the balance in that same step.
 *
 * @param userId            the account
 * @param operationId       the operation id the grant was given under
 * @param expiredCents      the remainder that left, possibly 0 (then no ledger entry was written)
 * @param balanceAfterCents the account's balance right after
 * @param expiresAt         the grant's expiry
 * @param at                when the expiry was applied
 */
public record ExpiredGrant(long userId, String operationId, long expiredCents, long balanceAfterCents,
                           Instant expiresAt, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account
     * @param operationId       the operation id the grant was given under
     * @param expiredCents      the remainder that left, possibly 0 (then no ledger entry was written)
     * @param balanceAfterCents the account's balance right after
     * @param expiresAt         the grant's expiry
     * @param at                when the expiry was applied
     */
    public ExpiredGrant {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(at, "at");
    }
}
