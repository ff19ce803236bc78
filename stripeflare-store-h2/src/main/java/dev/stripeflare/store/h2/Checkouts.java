package dev.stripeflare.store.h2;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The CHECKOUT_CLAIMS row of one checkout session: what its credit recorded (the account, the
 * token hash it was credited under, until when it may be claimed, whether it was) or, before the
 * credit, the claim waiting for it. Its credit and its claims lock this row first, so a claim
 * and the credit of one checkout run one after the other.
 */
final class Checkouts {

    /**
     * A checkout as locked.
     *
     * @param userId         the account credited, or null while only claimed
     * @param tokenHash      credited: the token hash of the credit; else the claiming token hash
     * @param claimableUntil credited: until when it may be claimed
     * @param pendingUntil   not credited: until when the claim waits for the credit
     * @param claimed        credited: whether a token was attached through it
     */
    record Checkout(String checkoutId, Long userId, String tokenHash, Instant claimableUntil,
                    Instant pendingUntil, boolean claimed) {

        boolean isCredited() {
            return userId != null;
        }

        /** Whether a claim by {@code tokenHash} waits for this checkout's credit at {@code at}. */
        boolean pendingFor(String claimant, Instant at) {
            return !isCredited() && tokenHash.equals(claimant) && at.isBefore(pendingUntil);
        }
    }

    private Checkouts() {
    }

    static Optional<Checkout> lock(Handle h, String checkoutId) {
        return h.createQuery("SELECT USER_ID, TOKEN_HASH, CLAIMABLE_UNTIL, PENDING_UNTIL, CLAIMED"
                        + " FROM CHECKOUT_CLAIMS WHERE CHECKOUT_ID = ? FOR UPDATE")
                .bind(0, checkoutId)
                .map((rs, ctx) -> new Checkout(checkoutId, rs.getObject(1, Long.class), rs.getString(2),
                        instant(rs.getObject(3, LocalDateTime.class)), instant(rs.getObject(4, LocalDateTime.class)),
                        rs.getBoolean(5)))
                .findOne();
    }

    /** Records a claim waiting for the credit; a concurrent first claim collides on the key. */
    static void insertPending(Handle h, String checkoutId, String tokenHash, Instant pendingUntil) {
        h.execute("INSERT INTO CHECKOUT_CLAIMS (CHECKOUT_ID, TOKEN_HASH, PENDING_UNTIL) VALUES (?, ?, ?)",
                checkoutId, tokenHash, Sql.toDb(pendingUntil));
    }

    static void replacePending(Handle h, String checkoutId, String tokenHash, Instant pendingUntil) {
        h.execute("UPDATE CHECKOUT_CLAIMS SET TOKEN_HASH = ?, PENDING_UNTIL = ? WHERE CHECKOUT_ID = ?",
                tokenHash, Sql.toDb(pendingUntil), checkoutId);
    }

    /** Records the checkout's credit, replacing a pending claim (the row is locked or new). */
    static void recordCredit(Handle h, String checkoutId, boolean exists, long userId, String tokenHash,
                             Instant claimableUntil, boolean claimed) {
        if (exists) {
            h.execute("UPDATE CHECKOUT_CLAIMS SET USER_ID = ?, TOKEN_HASH = ?, CLAIMABLE_UNTIL = ?,"
                            + " PENDING_UNTIL = NULL, CLAIMED = ? WHERE CHECKOUT_ID = ?",
                    userId, tokenHash, Sql.toDb(claimableUntil), claimed, checkoutId);
        } else {
            h.execute("INSERT INTO CHECKOUT_CLAIMS (CHECKOUT_ID, USER_ID, TOKEN_HASH, CLAIMABLE_UNTIL, CLAIMED)"
                    + " VALUES (?, ?, ?, ?, ?)", checkoutId, userId, tokenHash, Sql.toDb(claimableUntil), claimed);
        }
    }

    static void markClaimed(Handle h, String checkoutId) {
        h.execute("UPDATE CHECKOUT_CLAIMS SET CLAIMED = TRUE WHERE CHECKOUT_ID = ?", checkoutId);
    }

    private static Instant instant(LocalDateTime at) {
        return at == null ? null : Sql.fromDb(at);
    }
}
