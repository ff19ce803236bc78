package dev.stripeflare.store.h2;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Small reads and writes of accounts and token rows shared by the non-hot paths. Attaching a
 * token to an existing account happens only while that account's row is locked (by
 * {@link #lock} or by the balance UPDATE), so it cannot interleave with its deletion.
 */
final class Accounts {

    private Accounts() {
    }

    /** The account a live token hash opens. */
    static Optional<Long> ofToken(Handle h, String tokenHash) {
        return h.createQuery("SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, tokenHash).mapTo(Long.class).findOne();
    }

    /** The account a revoked token hash used to open (it may since have been deleted). */
    static Optional<Long> ofRevokedToken(Handle h, String tokenHash) {
        return h.createQuery("SELECT USER_ID FROM REVOKED_TOKENS WHERE TOKEN_HASH = ?")
                .bind(0, tokenHash).mapTo(Long.class).findOne();
    }

    static boolean isRevoked(Handle h, String tokenHash) {
        return ofRevokedToken(h, tokenHash).isPresent();
    }

    static boolean exists(Handle h, long userId) {
        return h.createQuery("SELECT COUNT(*) FROM ACCOUNTS WHERE USER_ID = ?").bind(0, userId)
                .mapTo(Integer.class).one() > 0;
    }

    /** Locks the account's row until the transaction ends; false if it does not exist. */
    static boolean lock(Handle h, long userId) {
        return h.createQuery("SELECT USER_ID FROM ACCOUNTS WHERE USER_ID = ? FOR UPDATE").bind(0, userId)
                .mapTo(Long.class).findOne().isPresent();
    }

    static long balanceOf(Handle h, long userId) {
        return h.createQuery("SELECT BALANCE FROM ACCOUNTS WHERE USER_ID = ?").bind(0, userId)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    /**
     * Attaches a token hash; the caller holds the account's row lock. A taken hash collides on
     * the key; a hash revoked since the caller looked is never attached (the unit is rerun).
     */
    static void attachToken(Handle h, String tokenHash, long userId) {
        int attached = h.execute("INSERT INTO TOKENS (TOKEN_HASH, USER_ID) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM REVOKED_TOKENS WHERE TOKEN_HASH = ?)", tokenHash, userId, tokenHash);
        if (attached != 1) {
            throw new Sql.RaceLost();
        }
    }
}
