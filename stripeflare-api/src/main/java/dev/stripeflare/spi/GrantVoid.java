package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Voiding one grant ({@link UserStore#voidGrant}): its unspent remainder leaves the balance.
 *
 * @param userId           the account the grant was given to
 * @param grantOperationId the operation id the grant was given under
 * @param memo             the ledger memo, or null
 * @param at               the time to record
 */
public record GrantVoid(long userId, String grantOperationId, String memo, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId           the account the grant was given to
     * @param grantOperationId the operation id the grant was given under
     * @param memo             the ledger memo, or null
     * @param at               the time to record
     */
    public GrantVoid {
        Objects.requireNonNull(grantOperationId, "grantOperationId");
        Objects.requireNonNull(at, "at");
    }
}
