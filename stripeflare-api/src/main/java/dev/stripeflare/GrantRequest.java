package dev.stripeflare;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Free credit to give one account ({@link Wallet#grant}).
 *
 * @param userId      the account, as {@link User#userId()} names it
 * @param amountCents the credit in cents, strictly positive
 * @param reason      why, for the ledger's memo (e.g. {@code "welcome bonus"}); not blank
 * @param operationId the id under which this grant is given at most once per store (e.g.
 *                    {@code "welcome:" + userId}); 1 to 255 characters
 * @param expiresAt   when the unspent remainder leaves the balance; empty for a grant that
 *                    never expires. Must be after the wallet's clock when granted.
 */
public record GrantRequest(long userId, long amountCents, String reason, String operationId,
                           Optional<Instant> expiresAt) {

    /**
     * @throws InvalidAmountException   if {@code amountCents} is not strictly positive
     * @throws IllegalArgumentException if {@code reason} is blank or {@code operationId} is blank
     * or longer than 255 characters
     *
     * @param userId      the account, as {@link User#userId()} names it
     * @param amountCents the credit in cents, strictly positive
     * @param reason      why, for the ledger's memo (e.g. {@code "welcome bonus"}); not blank
     * @param operationId the id under which this grant is given at most once per store (e.g.
     *        {@code "welcome:" + userId}); 1 to 255 characters
     * @param expiresAt   when the unspent remainder leaves the balance; empty for a grant that
     *        never expires. Must be after the wallet's clock when granted.
     */
    public GrantRequest {
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a grant needs a reason");
        }
        if (operationId.isBlank() || operationId.length() > 255) {
            throw new IllegalArgumentException("operationId must be 1 to 255 characters, not blank");
        }
    }

    /**
     * A grant that never expires.
     *
     * @param userId      the account's id
     * @param amountCents the credit, in cents
     * @param reason      why, for the ledger
     * @param operationId what makes the grant exactly-once
     * @return the request
     */
    public static GrantRequest permanent(long userId, long amountCents, String reason, String operationId) {
        return new GrantRequest(userId, amountCents, reason, operationId, Optional.empty());
    }

    /**
     * A grant whose unspent remainder leaves the balance at {@code expiresAt}.
     *
     * @param userId      the account's id
     * @param amountCents the credit, in cents
     * @param reason      why, for the ledger
     * @param operationId what makes the grant exactly-once
     * @param expiresAt   when what is left of it expires
     * @return the request
     */
    public static GrantRequest expiring(long userId, long amountCents, String reason, String operationId,
                                        Instant expiresAt) {
        return new GrantRequest(userId, amountCents, reason, operationId, Optional.of(expiresAt));
    }
}
