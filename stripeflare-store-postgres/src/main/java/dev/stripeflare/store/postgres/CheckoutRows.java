package dev.stripeflare.store.postgres;

import dev.stripeflare.spi.PaymentProfile;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/**
 * The row per checkout session that its credit and its claims both lock first ({@code INSERT
 * … ON CONFLICT DO NOTHING}, then {@code SELECT … FOR UPDATE}), so a claim racing the credit is
 * either seen by it (the credit attaches the token) or sees it. A checkout paid by a payer not
 * vouched for keeps the payer's verified email and card until the paying browser claims it.
 * Stateless apart from its SQL.
 */
final class CheckoutRows {

    /** A locked checkout row; {@code creditedUserId} 0 while not credited. */
    record Checkout(String checkoutId, long creditedUserId, String creditedTokenHash, Instant claimableUntil,
                    boolean claimed, String pendingTokenHash, Instant pendingUntil,
                    String unvouchedVerifiedEmail, String unvouchedCardFingerprint) {
        boolean credited() {
            return creditedUserId != 0;
        }

        /** Whether a claim by {@code tokenHash} waits for the credit at {@code at}. */
        boolean hasPendingClaimBy(String tokenHash, Instant at) {
            return tokenHash.equals(pendingTokenHash) && !at.isAfter(pendingUntil);
        }
    }

    private final String insert;
    private final String lock;
    private final String credited;
    private final String pending;
    private final String claimed;

    CheckoutRows(Sql sql) {
        insert = sql.of("INSERT INTO @checkouts (checkout_id, at) VALUES (:id, :at) ON CONFLICT DO NOTHING");
        lock = sql.of("SELECT coalesce(credited_user_id, 0), credited_token_hash, claimable_until, claimed,"
                + " pending_token_hash, pending_until, unvouched_verified_email, unvouched_card_fingerprint"
                + " FROM @checkouts WHERE checkout_id = :id FOR UPDATE");
        credited = sql.of("UPDATE @checkouts SET credited_user_id = :user, credited_token_hash = :hash,"
                + " claimable_until = :until, claimed = :claimed, unvouched_verified_email = :verified,"
                + " unvouched_card_fingerprint = :card WHERE checkout_id = :id");
        pending = sql.of("UPDATE @checkouts SET pending_token_hash = :hash, pending_until = :until"
                + " WHERE checkout_id = :id");
        claimed = sql.of("UPDATE @checkouts SET claimed = true, unvouched_verified_email = NULL,"
                + " unvouched_card_fingerprint = NULL WHERE checkout_id = :id");
    }

    /** Creates the checkout's row if needed and locks it until the transaction ends. */
    Checkout lock(Handle h, String checkoutId, java.time.Instant at) {
        h.createUpdate(insert).bind("id", checkoutId).bind("at", at).execute();
        return h.createQuery(lock).bind("id", checkoutId).map((rs, ctx) -> new Checkout(checkoutId,
                        rs.getLong(1), rs.getString(2), Sql.fromDb(rs.getObject(3, OffsetDateTime.class)),
                        rs.getBoolean(4), rs.getString(5), Sql.fromDb(rs.getObject(6, OffsetDateTime.class)),
                        rs.getString(7), rs.getString(8)))
                .findOne().orElseThrow(() -> new Transactions.Conflict("checkout row vanished"));
    }

    /**
     * Records the credit of the checkout; {@code unvouched} is the payer identity waiting for the
     * paying browser's claim (null when it was recorded on the account already).
     */
    void recordCredit(Handle h, String checkoutId, long userId, String tokenHash, Instant claimableUntil,
                      boolean claimedNow, PaymentProfile unvouched) {
        h.createUpdate(credited).bind("id", checkoutId).bind("user", userId).bind("hash", tokenHash)
                .bind("until", claimableUntil).bind("claimed", claimedNow)
                .bind("verified", unvouched == null ? null : unvouched.verifiedEmail())
                .bind("card", unvouched == null ? null : unvouched.cardFingerprint()).execute();
    }

    void recordPending(Handle h, String checkoutId, String tokenHash, Instant pendingUntil) {
        h.createUpdate(pending).bind("id", checkoutId).bind("hash", tokenHash).bind("until", pendingUntil).execute();
    }

    /** Closes the checkout to every other claim, dropping the identity it kept. */
    void markClaimed(Handle h, String checkoutId) {
        h.createUpdate(claimed).bind("id", checkoutId).execute();
    }
}
