package dev.stripeflare.tck;

import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.Grant;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UserStore} that forwards every call to another, for tests that wrap a store to change
 * one behaviour — for instance the deliberately broken stores that show the {@link BankWorkload}
 * finds what it must. As thread-safe as the delegate and the overriding subclass.
 */
public abstract class ForwardingUserStore implements UserStore {

    /** The store every call not overridden goes to. */
    protected final UserStore delegate;

    /**
     * A store that forwards every call to {@code delegate}.
     *
     * @param delegate the store to forward to
     */
    protected ForwardingUserStore(UserStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Optional<UserRecord> findByTokenHash(String tokenHash) {
        return delegate.findByTokenHash(tokenHash);
    }

    @Override
    public Optional<UserRecord> findById(long userId) {
        return delegate.findById(userId);
    }

    @Override
    public Optional<UserRecord> findByCardFingerprint(String cardFingerprint) {
        return delegate.findByCardFingerprint(cardFingerprint);
    }

    @Override
    public Optional<UserRecord> findByVerifiedEmail(String verifiedEmail) {
        return delegate.findByVerifiedEmail(verifiedEmail);
    }

    @Override
    public ChargeResult charge(Debit debit) {
        return delegate.charge(debit);
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        return delegate.credit(credit);
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        return delegate.reverse(reversal);
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        return delegate.restore(restoration);
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        return delegate.claimCheckout(claim);
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        return delegate.recordSettled(operationId, reason, at);
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        return delegate.rotateToken(oldTokenHash, newTokenHash);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        return delegate.ledger(userId);
    }

    @Override
    public boolean deleteUser(long userId) {
        return delegate.deleteUser(userId);
    }

    @Override
    public StoreHealth health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public boolean recordUnclaimed(UnclaimedPayment payment) {
        return delegate.recordUnclaimed(payment);
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        return delegate.unclaimedPayments();
    }

    @Override
    public Optional<UnclaimedPayment> findUnclaimed(String unclaimedId) {
        return delegate.findUnclaimed(unclaimedId);
    }

    @Override
    public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
        return delegate.assignUnclaimed(assignment);
    }

    @Override
    public UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at) {
        return delegate.markUnclaimedRefunded(unclaimedId, note, at);
    }

    @Override
    public AdjustmentResult adjust(Adjustment adjustment) {
        return delegate.adjust(adjustment);
    }

    @Override
    public dev.stripeflare.MaintenanceReport maintain(dev.stripeflare.spi.MaintenanceRequest request) {
        return delegate.maintain(request);
    }

    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        return delegate.archiveBefore(before, sink);
    }

    @Override
    public GrantChange grant(CreditGrant grant) {
        return delegate.grant(grant);
    }

    @Override
    public GrantChange voidGrant(GrantVoid grantVoid) {
        return delegate.voidGrant(grantVoid);
    }

    @Override
    public List<ExpiredGrant> expireGrants(long userId, Instant at) {
        return delegate.expireGrants(userId, at);
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        return delegate.expireGrants(at);
    }

    @Override
    public List<Grant> grants(long userId) {
        return delegate.grants(userId);
    }

    // charge(Debit, Consumer) is not forwarded: its default runs through charge(Debit), so a
    // subclass that overrides charge(Debit) sees every charge.

    @Override
    public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, java.time.Instant at) {
        return delegate.openAccount(tokenHash, at);
    }

    @Override
    public dev.stripeflare.spi.HoldChange reserve(dev.stripeflare.spi.Reservation reservation) {
        return delegate.reserve(reservation);
    }

    @Override
    public dev.stripeflare.spi.HoldChange capture(dev.stripeflare.spi.HoldCapture capture) {
        return delegate.capture(capture);
    }

    @Override
    public dev.stripeflare.spi.HoldChange release(long holdId, Instant at) {
        return delegate.release(holdId, at);
    }

    @Override
    public List<dev.stripeflare.HoldState> expireHolds(long userId, Instant at) {
        return delegate.expireHolds(userId, at);
    }

    @Override
    public List<dev.stripeflare.HoldState> expireHolds(Instant at) {
        return delegate.expireHolds(at);
    }

    @Override
    public List<dev.stripeflare.HoldState> holds(long userId) {
        return delegate.holds(userId);
    }

    @Override
    public Optional<dev.stripeflare.HoldState> findHold(long holdId) {
        return delegate.findHold(holdId);
    }
}
