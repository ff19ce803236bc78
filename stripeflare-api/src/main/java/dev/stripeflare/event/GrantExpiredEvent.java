package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A grant ended: its unspent remainder left the balance, because it reached its expiry or because
 * the application voided it.
 *
 * @param userId            the account
 * @param operationId       the grant's operation id
 * @param endedCents        the remainder that left the balance, possibly 0 (it was all spent)
 * @param balanceAfterCents the balance right after
 * @param voided            true if voided ({@code GRANT_VOIDED}), false if expired ({@code GRANT_EXPIRED})
 * @param at                when the wallet applied it
 */
public record GrantExpiredEvent(long userId, String operationId, long endedCents, long balanceAfterCents,
                                boolean voided, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId            the account
     * @param operationId       the grant's operation id
     * @param endedCents        the remainder that left the balance, possibly 0 (it was all spent)
     * @param balanceAfterCents the balance right after
     * @param voided            true if voided ({@code GRANT_VOIDED}), false if expired ({@code GRANT_EXPIRED})
     * @param at                when the wallet applied it
     */
    public GrantExpiredEvent {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
    }
}
