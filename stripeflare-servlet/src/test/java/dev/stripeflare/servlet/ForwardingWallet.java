package dev.stripeflare.servlet;

import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.Grant;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.Session;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.User;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import java.util.List;
import java.util.Optional;

/** A wallet that forwards every call to a real one; tests override the calls they change. */
class ForwardingWallet implements Wallet {
    private final Wallet real;

    ForwardingWallet(Wallet real) {
        this.real = real;
    }

    @Override
    public Session session(String presentedTokenOrNull) {
        return real.session(presentedTokenOrNull);
    }

    @Override
    public Optional<User> lookupUser(String accessToken) {
        return real.lookupUser(accessToken);
    }

    @Override
    public ChargeResult charge(String accessToken, long amountCents) {
        return real.charge(accessToken, amountCents);
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        return real.charge(request);
    }

    @Override
    public WebhookResult handleWebhookPayload(String payload, String stripeSignatureHeader) {
        return real.handleWebhookPayload(payload, stripeSignatureHeader);
    }

    @Override
    public CheckoutResult completeCheckout(String accessToken, String checkoutSessionId) {
        return real.completeCheckout(accessToken, checkoutSessionId);
    }

    @Override
    public String rotateToken(String accessToken) {
        return real.rotateToken(accessToken);
    }

    @Override
    public String paymentLink(String accessToken) {
        return real.paymentLink(accessToken);
    }

    @Override
    public List<LedgerEntry> ledger(String accessToken) {
        return real.ledger(accessToken);
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        return real.unclaimedPayments();
    }

    @Override
    public UnclaimedPayment assignUnclaimedPayment(String unclaimedId, long userId, String operatorNote) {
        return real.assignUnclaimedPayment(unclaimedId, userId, operatorNote);
    }

    @Override
    public UnclaimedPayment markUnclaimedPaymentRefunded(String unclaimedId, String operatorNote) {
        return real.markUnclaimedPaymentRefunded(unclaimedId, operatorNote);
    }

    @Override
    public SelfCheckReport selfCheck() {
        return real.selfCheck();
    }

    @Override
    public ChargeResult chargeUser(long userId, long amountCents) {
        return real.chargeUser(userId, amountCents);
    }

    @Override
    public ChargeResult chargeUser(UserChargeRequest request) {
        return real.chargeUser(request);
    }

    @Override
    public Optional<User> findUser(long userId) {
        return real.findUser(userId);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        return real.ledger(userId);
    }

    @Override
    public boolean deleteUser(long userId) {
        return real.deleteUser(userId);
    }

    @Override
    public AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId) {
        return real.adjust(userId, signedCents, reason, operationId);
    }

    @Override
    public AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId,
                                   boolean allowNegativeBalance) {
        return real.adjust(userId, signedCents, reason, operationId, allowNegativeBalance);
    }

    @Override
    public dev.stripeflare.MaintenanceReport maintain() {
        return real.maintain();
    }

    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(java.time.Instant before, dev.stripeflare.LedgerArchive sink) {
        return real.archiveBefore(before, sink);
    }

    @Override
    public GrantResult grant(GrantRequest request) {
        return real.grant(request);
    }

    @Override
    public long voidGrant(long userId, String grantOperationId, String memo) {
        return real.voidGrant(userId, grantOperationId, memo);
    }

    @Override
    public List<Grant> grants(long userId) {
        return real.grants(userId);
    }

    @Override
    public int expireGrants() {
        return real.expireGrants();
    }

    @Override
    public dev.stripeflare.ReserveResult reserve(dev.stripeflare.HoldRequest request) {
        return real.reserve(request);
    }

    @Override
    public dev.stripeflare.HoldResult capture(long holdId, long totalCents) {
        return real.capture(holdId, totalCents);
    }

    @Override
    public dev.stripeflare.HoldResult captureSome(long holdId, long capturedTotalCents) {
        return real.captureSome(holdId, capturedTotalCents);
    }

    @Override
    public dev.stripeflare.HoldResult release(long holdId) {
        return real.release(holdId);
    }

    @Override
    public List<dev.stripeflare.HoldState> holds(long userId) {
        return real.holds(userId);
    }

    @Override
    public int expireHolds() {
        return real.expireHolds();
    }
}
