package dev.stripeflare.core;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.ForwardingUserStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real store that also records every call that changed state, as "method operation-id", so a
 * test can tell whether a webhook changed anything at all (a credit applied, a reversal applied
 * or deferred, a restoration applied or cancelling, a settlement recorded, a claim, a rotation, a
 * deletion, a charge). Calls that answered "duplicate", "refused" or threw are not changes.
 */
final class RecordingUserStore extends ForwardingUserStore {
    private final AtomicLong changes = new AtomicLong();
    private final ConcurrentLinkedQueue<String> recent = new ConcurrentLinkedQueue<>();

    RecordingUserStore(UserStore delegate) {
        super(delegate);
    }

    /** How many calls changed state so far. */
    long changes() {
        return changes.get();
    }

    /** The last few changes, newest last, for failure messages. */
    List<String> recentChanges() {
        return List.copyOf(recent);
    }

    private void changed(boolean changed, String what) {
        if (changed) {
            changes.incrementAndGet();
            recent.add(what);
            if (recent.size() > 8) {
                recent.poll();
            }
        }
    }





    @Override
    public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, Instant at) {
        dev.stripeflare.spi.OpenedAccount opened = delegate.openAccount(tokenHash, at);
        changed(opened.status() == dev.stripeflare.spi.OpenedAccount.Status.CREATED, "open account");
        return opened;
    }

    @Override
    public ChargeResult charge(Debit debit) {
        ChargeResult result = delegate.charge(debit);
        changed(result.charged(), "charge");
        return result;
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        CreditResult result = delegate.credit(credit);
        changed(result.status() == CreditResult.Status.APPLIED, "credit " + credit.operationId());
        return result;
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        ReversalResult result = delegate.reverse(reversal);
        changed(result.status() != ReversalResult.Status.DUPLICATE, "reverse " + reversal.operationId());
        return result;
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        ReversalResult result = delegate.restore(restoration);
        changed(result.status() != ReversalResult.Status.DUPLICATE, "restore " + restoration.operationId());
        return result;
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        ClaimResult result = delegate.claimCheckout(claim);
        changed(result.status() == ClaimResult.Status.LINKED || result.status() == ClaimResult.Status.PENDING,
                "claim " + claim.checkoutId());
        return result;
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        boolean recorded = delegate.recordSettled(operationId, reason, at);
        changed(recorded, "settled " + operationId);
        return recorded;
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        boolean rotated = delegate.rotateToken(oldTokenHash, newTokenHash);
        changed(rotated, "rotate");
        return rotated;
    }


    @Override
    public boolean deleteUser(long userId) {
        boolean deleted = delegate.deleteUser(userId);
        changed(deleted, "delete " + userId);
        return deleted;
    }

}
