package dev.stripeflare.store.postgres;

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
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two application instances behind one {@link UserStore}: every call goes to the next of two
 * stores in turn, so consecutive steps of one test — and concurrent steps of many threads — run
 * on different instances that share nothing but the database.
 */
final class TwoInstanceStore implements UserStore {

    private final UserStore a;
    private final UserStore b;
    private final AtomicLong calls = new AtomicLong();

    TwoInstanceStore(UserStore a, UserStore b) {
        this.a = a;
        this.b = b;
    }

    private UserStore next() {
        return (calls.getAndIncrement() & 1) == 0 ? a : b;
    }

    @Override
    public Optional<UserRecord> findByTokenHash(String tokenHash) {
        return next().findByTokenHash(tokenHash);
    }

    @Override
    public Optional<UserRecord> findById(long userId) {
        return next().findById(userId);
    }

    @Override
    public Optional<UserRecord> findByCardFingerprint(String cardFingerprint) {
        return next().findByCardFingerprint(cardFingerprint);
    }

    @Override
    public Optional<UserRecord> findByVerifiedEmail(String verifiedEmail) {
        return next().findByVerifiedEmail(verifiedEmail);
    }

    @Override
    public ChargeResult charge(Debit debit) {
        return next().charge(debit);
    }

    @Override
    public ChargeResult charge(Debit debit, java.util.function.Consumer<ExpiredGrant> expiredInside) {
        return next().charge(debit, expiredInside);
    }

    @Override
    public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, Instant at) {
        return next().openAccount(tokenHash, at);
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        return next().credit(credit);
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        return next().reverse(reversal);
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        return next().restore(restoration);
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        return next().claimCheckout(claim);
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        return next().recordSettled(operationId, reason, at);
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        return next().rotateToken(oldTokenHash, newTokenHash);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        return next().ledger(userId);
    }

    @Override
    public boolean deleteUser(long userId) {
        return next().deleteUser(userId);
    }

    /** The worse of the two instances' health: DOWN if either is. */
    @Override
    public StoreHealth health() {
        StoreHealth first = a.health();
        StoreHealth second = b.health();
        return second.status().compareTo(first.status()) > 0 ? second : first;
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    @Override
    public boolean recordUnclaimed(UnclaimedPayment payment) {
        return next().recordUnclaimed(payment);
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        return next().unclaimedPayments();
    }

    @Override
    public Optional<UnclaimedPayment> findUnclaimed(String unclaimedId) {
        return next().findUnclaimed(unclaimedId);
    }

    @Override
    public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
        return next().assignUnclaimed(assignment);
    }

    @Override
    public UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at) {
        return next().markUnclaimedRefunded(unclaimedId, note, at);
    }

    @Override
    public AdjustmentResult adjust(Adjustment adjustment) {
        return next().adjust(adjustment);
    }

    @Override
    public dev.stripeflare.MaintenanceReport maintain(dev.stripeflare.spi.MaintenanceRequest request) {
        return next().maintain(request);
    }

    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        return next().archiveBefore(before, sink);
    }

    @Override
    public GrantChange grant(CreditGrant grant) {
        return next().grant(grant);
    }

    @Override
    public GrantChange voidGrant(GrantVoid grantVoid) {
        return next().voidGrant(grantVoid);
    }

    @Override
    public List<ExpiredGrant> expireGrants(long userId, Instant at) {
        return next().expireGrants(userId, at);
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        return next().expireGrants(at);
    }

    @Override
    public List<Grant> grants(long userId) {
        return next().grants(userId);
    }

    @Override
    public dev.stripeflare.spi.HoldChange reserve(dev.stripeflare.spi.Reservation reservation) {
        return next().reserve(reservation);
    }

    @Override
    public dev.stripeflare.spi.HoldChange capture(dev.stripeflare.spi.HoldCapture capture) {
        return next().capture(capture);
    }

    @Override
    public dev.stripeflare.spi.HoldChange release(long holdId, java.time.Instant at) {
        return next().release(holdId, at);
    }

    @Override
    public List<dev.stripeflare.HoldState> expireHolds(long userId, java.time.Instant at) {
        return next().expireHolds(userId, at);
    }

    @Override
    public List<dev.stripeflare.HoldState> expireHolds(java.time.Instant at) {
        return next().expireHolds(at);
    }

    @Override
    public List<dev.stripeflare.HoldState> holds(long userId) {
        return next().holds(userId);
    }

    @Override
    public Optional<dev.stripeflare.HoldState> findHold(long holdId) {
        return next().findHold(holdId);
    }
}
