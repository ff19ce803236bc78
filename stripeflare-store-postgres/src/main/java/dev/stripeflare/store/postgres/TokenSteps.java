package dev.stripeflare.store.postgres;

import dev.stripeflare.StoreException;
import java.util.Optional;

/**
 * Token rotation and account deletion, each one transaction that locks the account row first.
 * A rotation revokes the old hash with an {@code UPDATE} that must change exactly one row (the
 * live hash of that account): of two rotations of one token at once the second waits for the
 * first's row lock, then changes nothing and answers false. It inserts the new hash in the same
 * transaction; a hash already known (live or revoked) violates the primary key and the whole
 * rotation rolls back. A deletion revokes every hash of the account under the same lock, so a
 * rotation racing it either ran before (its new hash is revoked with the rest) or finds no
 * account. Stateless apart from its SQL.
 */
final class TokenSteps {

    private final Transactions tx;
    private final Accounts accounts;
    private final TokenRows tokens;
    private final String deleteLedger;
    private final String deleteKeys;
    private final String deleteHolds;
    private final String deleteAccount;

    TokenSteps(Sql sql, Transactions tx, Accounts accounts, TokenRows tokens) {
        this.tx = tx;
        this.accounts = accounts;
        this.tokens = tokens;
        deleteLedger = sql.of("DELETE FROM @ledger WHERE user_id = :id");
        deleteKeys = sql.of("DELETE FROM @idempotency_keys WHERE user_id = :id");
        deleteHolds = sql.of("DELETE FROM @holds WHERE user_id = :id");
        deleteAccount = sql.of("DELETE FROM @accounts WHERE user_id = :id");
    }

    boolean rotate(String oldTokenHash, String newTokenHash) {
        try {
            return tx.inTransaction("rotating a token", false, h -> {
                Optional<TokenRows.Token> old = tokens.find(h, oldTokenHash);
                if (old.isEmpty() || old.get().revoked()) {
                    h.rollback();
                    return false;
                }
                long userId = old.get().userId();
                if (accounts.lock(h, userId).isEmpty() || !tokens.revoke(h, oldTokenHash, userId)) {
                    h.rollback();
                    return false;
                }
                tokens.attach(h, newTokenHash, userId);
                return true;
            });
        } catch (StoreException e) {
            if (Sql.UNIQUE_VIOLATION.equals(Sql.sqlState(e))) {
                throw new StoreException("the new token hash is already in use or revoked; nothing changed", e);
            }
            throw e;
        }
    }

    boolean delete(long userId) {
        return tx.inTransaction("deleting an account", false, h -> {
            if (accounts.lock(h, userId).isEmpty()) {
                h.rollback();
                return false;
            }
            tokens.revokeAll(h, userId);
            h.createUpdate(deleteLedger).bind("id", userId).execute();
            h.createUpdate(deleteKeys).bind("id", userId).execute();
            h.createUpdate(deleteHolds).bind("id", userId).execute();
            h.createUpdate(deleteAccount).bind("id", userId).execute();
            return true;
        });
    }
}
