package dev.stripeflare.store.h2;

import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * A browser claiming the checkout it completed, as one transaction. It locks the checkout's
 * CHECKOUT_CLAIMS row first (the row the checkout's credit locks), so a claim and that credit
 * run one after the other whatever order they arrive in; then the IDENTITIES rows of the payer
 * identity the checkout kept (recorded on the account when its browser comes back), then the
 * account's row, so a claim cannot attach a token to an account being deleted.
 */
final class Claims {

    private Claims() {
    }

    static ClaimResult claim(Handle h, CheckoutClaim claim) {
        Optional<Checkouts.Checkout> locked = Checkouts.lock(h, claim.checkoutId());
        Optional<Long> owner = Accounts.ofToken(h, claim.tokenHash());
        boolean revoked = Accounts.isRevoked(h, claim.tokenHash());
        if (locked.isEmpty() || !locked.get().isCredited()) {
            boolean otherWaiting = locked.isPresent() && locked.get().pendingToken() != null
                    && !locked.get().pendingToken().equals(claim.tokenHash())
                    && !claim.at().isAfter(locked.get().pendingUntil());
            if (otherWaiting || revoked) {
                return refused(owner);
            }
            Checkouts.recordPending(h, claim.checkoutId(), locked.isPresent(), claim.tokenHash(), claim.pendingUntil(),
                    claim.at());
            return new ClaimResult(ClaimResult.Status.PENDING, OptionalLong.empty());
        }
        Checkouts.Checkout checkout = locked.get();
        long account = checkout.userId();
        if (checkout.payer() != null) {
            // IDENTITIES before ACCOUNTS, the order a credit takes them in
            Identities.lock(h, checkout.payer());
        }
        boolean accountLives = Accounts.lock(h, account);
        if (accountLives && owner.isPresent() && owner.get() == account) {
            // The account's own browser came back: the payer is vouched for, and the checkout
            // closes to everyone else.
            if (!checkout.claimed() && !claim.at().isAfter(checkout.claimableUntil())) {
                close(h, checkout, account);
            }
            return new ClaimResult(ClaimResult.Status.ALREADY_LINKED, OptionalLong.of(account));
        }
        if (!accountLives || owner.isPresent() || checkout.claimed()
                || !claim.tokenHash().equals(checkout.tokenHash()) || revoked) {
            return refused(owner);
        }
        if (claim.at().isAfter(checkout.claimableUntil())) {
            return new ClaimResult(ClaimResult.Status.EXPIRED, OptionalLong.empty());
        }
        Accounts.attachToken(h, claim.tokenHash(), account);
        close(h, checkout, account);
        return new ClaimResult(ClaimResult.Status.LINKED, OptionalLong.of(account));
    }

    /** Closes the checkout and records the payer identity it kept on the account (row locked). */
    private static void close(Handle h, Checkouts.Checkout checkout, long account) {
        if (checkout.payer() != null) {
            Identities.record(h, account, checkout.payer());
        }
        Checkouts.close(h, checkout.checkoutId());
    }

    private static ClaimResult refused(Optional<Long> owner) {
        return result(ClaimResult.Status.REFUSED, owner);
    }

    private static ClaimResult result(ClaimResult.Status status, Optional<Long> owner) {
        return new ClaimResult(status, owner.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }
}
