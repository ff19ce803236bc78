package dev.stripeflare.store.h2;

import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * A browser claiming the checkout it completed, as one transaction. It locks the checkout's
 * CHECKOUT_CLAIMS row first (the row the checkout's credit locks), so a claim and that credit
 * run one after the other whatever order they arrive in; then, to attach the token, the
 * account's row, so a claim cannot attach a token to an account being deleted.
 */
final class Claims {

    private Claims() {
    }

    static ClaimResult claim(Handle h, CheckoutClaim claim) {
        Optional<Checkouts.Checkout> locked = Checkouts.lock(h, claim.checkoutId());
        Optional<Long> owner = Accounts.ofToken(h, claim.tokenHash());
        boolean revoked = Accounts.isRevoked(h, claim.tokenHash());
        if (locked.isEmpty()) {
            if (revoked) {
                return refused(owner);
            }
            Checkouts.insertPending(h, claim.checkoutId(), claim.tokenHash(), claim.pendingUntil());
            return result(ClaimResult.Status.PENDING, owner);
        }
        Checkouts.Checkout checkout = locked.get();
        if (!checkout.isCredited()) {
            if (checkout.tokenHash().equals(claim.tokenHash())) {
                return result(ClaimResult.Status.PENDING, owner);
            }
            if (!revoked && !claim.at().isBefore(checkout.pendingUntil())) {
                // the earlier claim gave up waiting; this browser's claim replaces it
                Checkouts.replacePending(h, claim.checkoutId(), claim.tokenHash(), claim.pendingUntil());
                return result(ClaimResult.Status.PENDING, owner);
            }
            return refused(owner);
        }
        long account = checkout.userId();
        if (owner.isPresent()) {
            return owner.get() == account ? result(ClaimResult.Status.ALREADY_LINKED, owner) : refused(owner);
        }
        if (!checkout.tokenHash().equals(claim.tokenHash()) || checkout.claimed() || revoked) {
            return refused(owner);
        }
        if (!claim.at().isBefore(checkout.claimableUntil())) {
            return result(ClaimResult.Status.EXPIRED, owner);
        }
        if (!Accounts.lock(h, account)) {
            return refused(owner); // the account was deleted
        }
        Accounts.attachToken(h, claim.tokenHash(), account);
        Checkouts.markClaimed(h, claim.checkoutId());
        return new ClaimResult(ClaimResult.Status.LINKED, OptionalLong.of(account));
    }

    private static ClaimResult refused(Optional<Long> owner) {
        return result(ClaimResult.Status.REFUSED, owner);
    }

    private static ClaimResult result(ClaimResult.Status status, Optional<Long> owner) {
        return new ClaimResult(status, owner.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }
}
