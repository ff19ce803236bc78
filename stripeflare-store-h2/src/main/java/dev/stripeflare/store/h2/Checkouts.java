package dev.stripeflare.store.h2;

import dev.stripeflare.spi.PaymentProfile;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The CHECKOUT_CLAIMS row of one checkout session: what its credit recorded (the account, the
 * token hash it was credited under, until when it may be claimed, whether it was, and the
 * payer's identity while no browser of the account has vouched for it) and the claim waiting
 * for the credit, if any. Its credit and its claims lock this row first, so a claim and the
 * credit of one checkout run one after the other.
 */
final class Checkouts {

    /**
     * A checkout as locked.
     *
     * @param userId         the account credited, or null while only claimed
     * @param tokenHash      the token hash of the credit, or null while not credited
     * @param claimableUntil until when it may be claimed, or null while not credited
     * @param claimed        whether it is closed to claims (a browser of the account came back)
     * @param payer          the payer's verified email and card, kept until vouched for, or null
     * @param pendingToken   the token hash of a claim waiting for the credit, or null
     * @param pendingUntil   until when that claim waits
     */
    record Checkout(String checkoutId, Long userId, String tokenHash, Instant claimableUntil, boolean claimed,
                    PaymentProfile payer, String pendingToken, Instant pendingUntil) {

        boolean isCredited() {
            return userId != null;
        }

        /** Whether a claim by {@code claimant} waits for this checkout's credit at {@code at}. */
        boolean hasPendingClaimBy(String claimant, Instant at) {
            return claimant.equals(pendingToken) && !at.isAfter(pendingUntil);
        }
    }

    private Checkouts() {
    }

    static Optional<Checkout> lock(Handle h, String checkoutId) {
        return h.createQuery("SELECT USER_ID, TOKEN_HASH, CLAIMABLE_UNTIL, CLAIMED, PAYER_VERIFIED_EMAIL,"
                        + " PAYER_CARD_FINGERPRINT, PENDING_TOKEN_HASH, PENDING_UNTIL"
                        + " FROM CHECKOUT_CLAIMS WHERE CHECKOUT_ID = ? FOR UPDATE")
                .bind(0, checkoutId)
                .map((rs, ctx) -> {
                    String email = rs.getString(5);
                    String card = rs.getString(6);
                    return new Checkout(checkoutId, rs.getObject(1, Long.class), rs.getString(2),
                            instant(rs.getObject(3, LocalDateTime.class)), rs.getBoolean(4),
                            email == null && card == null ? null : new PaymentProfile(null, null, email, card),
                            rs.getString(7), instant(rs.getObject(8, LocalDateTime.class)));
                })
                .findOne();
    }

    /** Records (or replaces) the claim waiting for the credit; a concurrent first claim collides on the key. */
    static void recordPending(Handle h, String checkoutId, boolean exists, String tokenHash, Instant pendingUntil,
                              Instant at) {
        if (exists) {
            h.execute("UPDATE CHECKOUT_CLAIMS SET PENDING_TOKEN_HASH = ?, PENDING_UNTIL = ? WHERE CHECKOUT_ID = ?",
                    tokenHash, Sql.toDb(pendingUntil), checkoutId);
        } else {
            h.execute("INSERT INTO CHECKOUT_CLAIMS (CHECKOUT_ID, PENDING_TOKEN_HASH, PENDING_UNTIL, AT)"
                    + " VALUES (?, ?, ?, ?)", checkoutId, tokenHash, Sql.toDb(pendingUntil), Sql.toDb(at));
        }
    }

    /**
     * Records the checkout's credit (the row is locked, or new). {@code unvouched} is the payer's
     * identity to keep until a browser of the account claims the checkout, or null.
     */
    static void recordCredit(Handle h, String checkoutId, boolean exists, long userId, String tokenHash,
                             Instant claimableUntil, boolean claimed, PaymentProfile unvouched, Instant at) {
        String email = unvouched == null ? null : unvouched.verifiedEmail();
        String card = unvouched == null ? null : unvouched.cardFingerprint();
        if (exists) {
            h.execute("UPDATE CHECKOUT_CLAIMS SET USER_ID = ?, TOKEN_HASH = ?, CLAIMABLE_UNTIL = ?, CLAIMED = ?,"
                            + " PAYER_VERIFIED_EMAIL = ?, PAYER_CARD_FINGERPRINT = ? WHERE CHECKOUT_ID = ?",
                    userId, tokenHash, Sql.toDb(claimableUntil), claimed, email, card, checkoutId);
        } else {
            h.execute("INSERT INTO CHECKOUT_CLAIMS (CHECKOUT_ID, USER_ID, TOKEN_HASH, CLAIMABLE_UNTIL, CLAIMED,"
                            + " PAYER_VERIFIED_EMAIL, PAYER_CARD_FINGERPRINT, AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    checkoutId, userId, tokenHash, Sql.toDb(claimableUntil), claimed, email, card, Sql.toDb(at));
        }
    }

    /** Closes the checkout to further claims and forgets the payer identity it kept. */
    static void close(Handle h, String checkoutId) {
        h.execute("UPDATE CHECKOUT_CLAIMS SET CLAIMED = TRUE, PAYER_VERIFIED_EMAIL = NULL,"
                + " PAYER_CARD_FINGERPRINT = NULL WHERE CHECKOUT_ID = ?", checkoutId);
    }

    private static Instant instant(LocalDateTime at) {
        return at == null ? null : Sql.fromDb(at);
    }
}
