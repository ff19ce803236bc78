package dev.stripeflare.store.postgres;

import dev.stripeflare.LedgerEntryKind;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Moves an account's balance and appends the ledger entry in one statement, so no caller can
 * do one without the other. Used by credits, reversals and restorations inside their
 * transaction, after they locked the account row. Stateless apart from its SQL.
 */
final class Balances {

    private final String move;

    Balances(Sql sql) {
        move = sql.of("WITH moved AS (UPDATE @accounts SET balance = balance + :delta WHERE user_id = :id"
                + " RETURNING user_id, balance),"
                + " entry AS (INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " SELECT user_id, :delta, balance, :kind, :op, :memo, :at FROM moved)"
                + " SELECT balance FROM moved");
    }

    /**
     * Adds {@code deltaCents} (signed, non-zero) to the account and appends the entry; the new
     * balance, or empty when the account does not exist. A balance beyond a {@code bigint}
     * fails with SQLSTATE 22003, which {@link Transactions} reports as an amount error.
     */
    Optional<Long> move(Handle h, long userId, long deltaCents, LedgerEntryKind kind, String operationId,
                        String memo, Instant at) {
        return h.createQuery(move).bind("delta", deltaCents).bind("id", userId).bind("kind", kind.name())
                .bind("op", operationId).bind("memo", memo).bind("at", at)
                .mapTo(Long.class).findOne();
    }
}
