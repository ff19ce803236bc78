package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Token rotation and account deletion, each one transaction over the aggregate tables. */
final class Tokens {

    private Tokens() {
    }

    static boolean rotate(Handle h, String oldHash, String newHash) {
        Optional<Long> owner = h.createQuery("SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, oldHash).mapTo(Long.class).findOne();
        if (owner.isEmpty()) {
            return false;
        }
        boolean taken = h.createQuery("SELECT COUNT(*) FROM TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, newHash).mapTo(Integer.class).one() > 0;
        if (taken) {
            throw new StoreException("the new token hash is already in use; nothing changed");
        }
        h.execute("DELETE FROM TOKENS WHERE TOKEN_HASH = ?", oldHash);
        h.execute("INSERT INTO TOKENS (TOKEN_HASH, USER_ID) VALUES (?, ?)", newHash, owner.get());
        return true;
    }

    /**
     * Removes the account, its tokens, ledger and idempotency keys. Operation ids and the
     * payments they credited stay recorded, so redeliveries stay duplicates and a later refund
     * is recognised as belonging to a deleted account.
     */
    static boolean deleteAccount(Handle h, long userId) {
        if (h.execute("DELETE FROM ACCOUNTS WHERE USER_ID = ?", userId) == 0) {
            return false;
        }
        h.execute("DELETE FROM TOKENS WHERE USER_ID = ?", userId);
        h.execute("DELETE FROM LEDGER WHERE USER_ID = ?", userId);
        h.execute("DELETE FROM IDEMPOTENCY WHERE USER_ID = ?", userId);
        return true;
    }
}
