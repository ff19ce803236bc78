package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's assignment of an unclaimed payment to an account; see
 * {@link UserStore#assignUnclaimed}.
 *
 * @param unclaimedId the unclaimed payment's id (its checkout session id)
 * @param userId      the account to credit
 * @param note        the operator's note, or null
 * @param memo        the ledger entry's memo, or null
 * @param at          the time to record
 */
public record UnclaimedAssignment(String unclaimedId, long userId, String note, String memo, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param unclaimedId the unclaimed payment's id (its checkout session id)
     * @param userId      the account to credit
     * @param note        the operator's note, or null
     * @param memo        the ledger entry's memo, or null
     * @param at          the time to record
     */
    public UnclaimedAssignment {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        Objects.requireNonNull(at, "at");
    }
}
