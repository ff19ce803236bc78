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
    // When each checkout was first named, for pruning with the operation retention (ADR 30).
    private final ExpiryQueue recorded = new ExpiryQueue();

    /** The checkout, or null when neither a credit nor a claim has named it. */
    Checkout find(String checkoutId) {
        return checkoutId == null ? null : byCheckoutId.get(checkoutId);
    }

    void recordCredit(String checkoutId, long userId, String tokenHash, Instant claimableUntil, boolean claimed,
                      PaymentProfile unvouchedProfile, Instant at) {
        Checkout checkout = byCheckoutId.computeIfAbsent(checkoutId, id -> created(id, at));
        checkout.creditedUserId = userId;
        checkout.creditedTokenHash = tokenHash;
        checkout.claimableUntil = claimableUntil;
        checkout.claimed = claimed;
        checkout.unvouchedProfile = unvouchedProfile;
    }

    void recordPending(CheckoutClaim claim) {
        Checkout checkout = byCheckoutId.computeIfAbsent(claim.checkoutId(), id -> created(id, claim.at()));
        checkout.pendingTokenHash = claim.tokenHash();
        checkout.pendingUntil = claim.pendingUntil();
    }

    private Checkout created(String checkoutId, Instant at) {
        recorded.add(checkoutId, at);
        return new Checkout();
    }

    /** Forgets up to {@code batch} checkouts first named before {@code before}. */
    int prune(Instant before, int batch) {
        int removed = 0;
        while (removed < batch) {
            String id = recorded.pollBefore(before);
            if (id == null) {
                break;
            }
            if (byCheckoutId.remove(id) != null) {
                removed++;
            }
        }
        return removed;
    }

    boolean moreDue(Instant before) {
        return recorded.hasBefore(before);
    }
}
