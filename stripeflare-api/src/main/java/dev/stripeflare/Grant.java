package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One grant of free credit and what is left of it.
 *
 * @param userId         the account it was given to
 * @param operationId    the id it was given under
 * @param reason         why it was given
 * @param grantedCents   what was given, strictly positive
 * @param remainingCents what is left to spend; 0 once spent, expired or voided
 * @param endedCents     what left the balance unspent (expired or voided); 0 while active
 * @param expiresAt      when its remainder expires; empty if never
 * @param grantedAt      when it was given (the wallet's clock)
 * @param status         whether it can still be spent
 */
public record Grant(long userId, String operationId, String reason, long grantedCents, long remainingCents,
                    long endedCents, Optional<Instant> expiresAt, Instant grantedAt, Status status) {

    /** Whether a grant can still be spent. */
    public enum Status {
        /** Its remainder (possibly 0) is part of the balance. */
        ACTIVE,
        /** It reached its expiry; its remainder left the balance as {@link LedgerEntryKind#GRANT_EXPIRED}. */
        EXPIRED,
        /** It was voided; its remainder left the balance as {@link LedgerEntryKind#GRANT_VOIDED}. */
        VOIDED
    }

    /**
     * Creates the record, checking its components.
     *
     * @param userId         the account it was given to
     * @param operationId    the id it was given under
     * @param reason         why it was given
     * @param grantedCents   what was given, strictly positive
     * @param remainingCents what is left to spend; 0 once spent, expired or voided
     * @param endedCents     what left the balance unspent (expired or voided); 0 while active
     * @param expiresAt      when its remainder expires; empty if never
     * @param grantedAt      when it was given (the wallet's clock)
     * @param status         whether it can still be spent
     */
    public Grant {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(status, "status");
        if (grantedCents <= 0 || remainingCents < 0 || endedCents < 0 || remainingCents + endedCents > grantedCents) {
            throw new IllegalArgumentException("inconsistent grant: granted " + grantedCents + ", remaining "
                    + remainingCents + ", ended " + endedCents);
        }
    }

    /**
     * What was spent of it by charges: granted less remaining less what ended unspent.
     *
     * @return what was spent, in cents
     */
    public long spentCents() {
        return grantedCents - remainingCents - endedCents;
    }
}
