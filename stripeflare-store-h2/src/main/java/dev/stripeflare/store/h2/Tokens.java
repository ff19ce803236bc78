package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Token rotation and account deletion, each one transaction over the aggregate tables. Both
 * lock the account's row first (rotation by {@code SELECT … FOR UPDATE}, deletion by its
 * DELETE), so they run one after the other on one account; a rotation succeeds only if it
 * removed exactly the old token's row, so of two rotations of one token exactly one does.
 * Removed token hashes are kept in REVOKED_TOKENS, naming their account, and never open
 * anything again.
 */
final class Tokens {

    private Tokens() {
    }

    static boolean rotate(Handle h, String oldHash, String newHash) {
        Optional<Long> owner = Accounts.ofToken(h, oldHash);
        if (owner.isEmpty()) {
            return false;
        }
        long userId = owner.get();
        if (!Accounts.lock(h, userId)) {
            return false; // deleted since the read above
        }
        if (oldHash.equals(newHash) || Accounts.ofToken(h, newHash).isPresent() || Accounts.isRevoked(h, newHash)) {
            throw new StoreException("the new token hash is already in use or revoked; nothing changed");
        }
        if (h.execute("DELETE FROM TOKENS WHERE TOKEN_HASH = ? AND USER_ID = ?", oldHash, userId) != 1) {
            return false; // a concurrent rotation of the same token won
        }
        h.execute("INSERT INTO REVOKED_TOKENS (TOKEN_HASH, USER_ID) VALUES (?, ?)", oldHash, userId);
        Accounts.attachToken(h, newHash, userId);
        return true;
    }

    /**
     * Removes the account, its ledger and idempotency keys, and moves its token hashes to
     * REVOKED_TOKENS. Operation ids and the payments they credited stay recorded, so redeliveries
     * stay duplicates and a later refund is recognised as belonging to a deleted account.
     */
    static boolean deleteAccount(Handle h, long userId) {
        if (h.execute("DELETE FROM ACCOUNTS WHERE USER_ID = ?", userId) == 0) {
            return false;
        }
        // The account's row is locked by the DELETE: no token can be attached to it meanwhile.
        List<String> hashes = h.createQuery("SELECT TOKEN_HASH FROM OLD TABLE (DELETE FROM TOKENS WHERE USER_ID = ?)")
                .bind(0, userId).mapTo(String.class).list();
        for (String hash : hashes) {
            h.execute("INSERT INTO REVOKED_TOKENS (TOKEN_HASH, USER_ID) VALUES (?, ?)", hash, userId);
        }
        h.execute("DELETE FROM LEDGER WHERE USER_ID = ?", userId);
        h.execute("DELETE FROM IDEMPOTENCY WHERE USER_ID = ?", userId);
        h.execute("DELETE FROM HOLDS WHERE USER_ID = ?", userId);
        return true;
    }
}
