package dev.stripeflare.store.postgres;

import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.UserRecord;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Checkout claims, each one transaction that locks the checkout's row first (as its credit
 * does), then the payer identity rows and the account it paid into. A claim by the browser
 * the checkout was paid from (linked now, or already) closes the checkout and records the payer
 * identity it kept. A refused or expired claim rolls back, changing nothing. Stateless apart from its SQL.
 */
final class Claims {

    private final Transactions tx;
    private final Accounts accounts;
    private final CheckoutRows checkouts;
    private final TokenRows tokens;
    private final PayerIdentities identities;

    Claims(Transactions tx, Accounts accounts, CheckoutRows checkouts, TokenRows tokens, PayerIdentities identities) {
        this.tx = tx;
        this.accounts = accounts;
        this.checkouts = checkouts;
        this.tokens = tokens;
        this.identities = identities;
    }

    ClaimResult claim(CheckoutClaim claim) {
        return tx.inTransaction("claiming a checkout", true, h -> {
            ClaimResult result = decide(h, claim);
            if (result.status() == ClaimResult.Status.REFUSED || result.status() == ClaimResult.Status.EXPIRED) {
                h.rollback();
            }
            return result;
        });
    }

    private ClaimResult decide(Handle h, CheckoutClaim claim) {
        String tokenHash = claim.tokenHash();
        CheckoutRows.Checkout checkout = checkouts.lock(h, claim.checkoutId(), claim.at());
        Optional<TokenRows.Token> token = tokens.find(h, tokenHash);
        boolean revoked = token.isPresent() && token.get().revoked();
        OptionalLong current = token.isPresent() && !revoked ? OptionalLong.of(token.get().userId()) : OptionalLong.empty();
        if (!checkout.credited()) {
            boolean otherPending = checkout.pendingTokenHash() != null
                    && !checkout.hasPendingClaimBy(tokenHash, claim.at())
                    && !claim.at().isAfter(checkout.pendingUntil());
            if (otherPending || revoked) {
                return refused(current);
            }
            checkouts.recordPending(h, claim.checkoutId(), tokenHash, claim.pendingUntil());
            return new ClaimResult(ClaimResult.Status.PENDING, OptionalLong.empty());
        }
        long userId = checkout.creditedUserId();
        // Identity rows before the account row, in the credits' order: closing the checkout may
        // record the payer's identity it kept.
        identities.lock(h, checkout.unvouchedVerifiedEmail(), checkout.unvouchedCardFingerprint());
        Optional<UserRecord> account = accounts.lock(h, userId);
        if (account.isPresent() && current.isPresent() && current.getAsLong() == userId) {
            // The account's own browser came back: the payer is vouched for, and the checkout
            // closes to everyone else.
            if (!checkout.claimed() && !claim.at().isAfter(checkout.claimableUntil())) {
                close(h, checkout, userId);
            }
            return new ClaimResult(ClaimResult.Status.ALREADY_LINKED, OptionalLong.of(userId));
        }
        if (account.isEmpty() || current.isPresent() || checkout.claimed()
                || !tokenHash.equals(checkout.creditedTokenHash()) || revoked) {
            return refused(current);
        }
        if (claim.at().isAfter(checkout.claimableUntil())) {
            return new ClaimResult(ClaimResult.Status.EXPIRED, OptionalLong.empty());
        }
        tokens.attach(h, tokenHash, userId);
        close(h, checkout, userId);
        return new ClaimResult(ClaimResult.Status.LINKED, OptionalLong.of(userId));
    }

    /** Marks the checkout claimed and records on the account the payer identity it kept. */
    private void close(Handle h, CheckoutRows.Checkout checkout, long userId) {
        identities.record(h, userId, checkout.unvouchedVerifiedEmail(), checkout.unvouchedCardFingerprint());
        checkouts.markClaimed(h, checkout.checkoutId());
    }

    private static ClaimResult refused(OptionalLong current) {
        return new ClaimResult(ClaimResult.Status.REFUSED, current);
    }
}
