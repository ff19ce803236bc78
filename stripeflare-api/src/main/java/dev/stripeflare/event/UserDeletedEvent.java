package dev.stripeflare.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An account was deleted ({@code Wallet.deleteUser}): its tokens open nothing any more and its
 * ledger is gone. Raised once, by the call that deleted it.
 *
 * @param userId the account's id, never reused
 * @param at     when it was deleted (the wallet's clock)
 */
public record UserDeletedEvent(long userId, Instant at) {
    /**
     * Creates the record, checking its components.
     *
     * @param userId the account's id, never reused
     * @param at     when it was deleted (the wallet's clock)
     */
    public UserDeletedEvent {
        Objects.requireNonNull(at, "at");
    }
}
