package dev.stripeflare.store.postgres;

import java.time.Instant;
import java.util.Objects;

/**
 * One account as {@link PostgresAdmin#usersByBalance(int)} lists it.
 *
 * @param userId       the stable account id
 * @param balanceCents the balance in cents when read
 * @param email        the payer's email, or null
 * @param createdAt    when the account was created
 */
public record AccountBalance(long userId, long balanceCents, String email, Instant createdAt) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId       the stable account id
     * @param balanceCents the balance in cents when read
     * @param email        the payer's email, or null
     * @param createdAt    when the account was created
     */
    public AccountBalance {
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
