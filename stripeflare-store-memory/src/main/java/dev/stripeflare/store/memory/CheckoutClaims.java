package dev.stripeflare.store.memory;

import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.PaymentProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per checkout session: the account it paid into and the token hash it was paid under (once
 * credited), whether that has been claimed, and a claim that arrived before the credit. Not
 * thread-safe: the store guards it with its write lock.
 */
final class CheckoutClaims {

    /** What is known of one checkout. */
    static final class Checkout {
        Long creditedUserId;
        String creditedTokenHash;
        Instant claimableUntil;
        boolean claimed;
        // The payer's identity, waiting for the paying browser's claim to be recorded.
        PaymentProfile unvouchedProfile;
        String pendingTokenHash;
        Instant pendingUntil;

        boolean credited() {
            return creditedUserId != null;
        }

        /** Whether a claim by {@code tokenHash} waits for the credit at {@code at}. */
        boolean hasPendingClaimBy(String tokenHash, Instant at) {
            return tokenHash.equals(pendingTokenHash) && !at.isAfter(pendingUntil);
        }
    }

    private final Map<String, Checkout> byCheckoutId = new HashMap<>();

    /** The checkout, or null when neither a credit nor a claim has named it. */
    Checkout find(String checkoutId) {
        return checkoutId == null ? null : byCheckoutId.get(checkoutId);
    }

    void recordCredit(String checkoutId, long userId, String tokenHash, Instant claimableUntil, boolean claimed,
                      PaymentProfile unvouchedProfile) {
        Checkout checkout = byCheckoutId.computeIfAbsent(checkoutId, id -> new Checkout());
        checkout.creditedUserId = userId;
        checkout.creditedTokenHash = tokenHash;
        checkout.claimableUntil = claimableUntil;
        checkout.claimed = claimed;
        checkout.unvouchedProfile = unvouchedProfile;
    }

    void recordPending(CheckoutClaim claim) {
        Checkout checkout = byCheckoutId.computeIfAbsent(claim.checkoutId(), id -> new Checkout());
        checkout.pendingTokenHash = claim.tokenHash();
        checkout.pendingUntil = claim.pendingUntil();
    }
}
