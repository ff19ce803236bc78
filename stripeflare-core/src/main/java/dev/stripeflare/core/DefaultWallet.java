package dev.stripeflare.core;

import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ArchiveReport;
import dev.stripeflare.Grant;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.HoldRequest;
import dev.stripeflare.HoldResult;
import dev.stripeflare.HoldState;
import dev.stripeflare.ReserveResult;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerArchive;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.Session;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.User;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The {@link Wallet} over a {@link UserStore}. Thread-safe: all state is immutable or the store's. */
final class DefaultWallet implements Wallet {
    private final UserStore store;
    private final AccessTokens tokens;
    private final ReferenceCipher cipher;
    private final StripeWebhooks webhooks;
    private final CheckoutReturns checkoutReturns;
    private final String paymentLinkBase;
    private final Clock clock;
    // session() and paymentLink() may not touch the store; this makes them fail after close too.
    private volatile boolean closed;
    private final UnclaimedPayments unclaimed;
    private final Supplier<SelfCheckReport> selfCheck;
    private final Maintainer maintainer;
    private final GrantDesk grants;
    private final HoldDesk holds;
    private final Optional<Allowances> allowances;

    DefaultWallet(UserStore store, AccessTokens tokens, ReferenceCipher cipher, StripeWebhooks webhooks,
                  String paymentLink, Duration checkoutPendingWindow, boolean loginByPayment, Clock clock,
                  UnclaimedPayments unclaimed, Supplier<SelfCheckReport> selfCheck, UserOperations users,
                  Maintainer maintainer, GrantDesk grants, Optional<Allowances> allowances) {
        this.maintainer = maintainer;
        this.store = store;
        this.grants = grants;
        this.holds = new HoldDesk(store, tokens, clock);
        this.allowances = allowances;
        this.unclaimed = unclaimed;
        this.selfCheck = selfCheck;
        this.tokens = tokens;
        this.cipher = cipher;
        this.webhooks = webhooks;
        this.checkoutReturns = new CheckoutReturns(store, tokens,
                (token, hash) -> store.findByTokenHash(hash).map(grants::fresh)
                        .map(record -> toUser(record, cipher.encrypt(token))),
                checkoutPendingWindow, loginByPayment, clock);
        this.paymentLinkBase = paymentLink + (paymentLink.contains("?") ? "&" : "?") + "client_reference_id=";
        this.clock = clock;
        this.users = users;
    }

    @Override
    public Session session(String presentedTokenOrNull) {
        requireOpen();
        // Legacy tokens carry no MAC: kept only while they open an account (ADR 22). One store
        // read either way: the account found decides a legacy token and is the session's user.
        boolean authentic = tokens.isAuthentic(presentedTokenOrNull);
        Optional<UserRecord> account = authentic || AccessTokens.isLegacy(presentedTokenOrNull)
                ? store.findByTokenHash(tokens.hash(presentedTokenOrNull)).map(grants::fresh) : Optional.empty();
        boolean keep = authentic || account.isPresent();
        String token = keep ? presentedTokenOrNull : tokens.mint();
        String reference = cipher.encrypt(token);
        Optional<User> user = account.map(record -> toUser(record, reference));
        return new Session(token, user, reference, linkFor(reference), user.isPresent(), !keep);
    }

    @Override
    public Optional<User> lookupUser(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        if (!tokens.mayOpenAccount(accessToken)) {
            return Optional.empty();
        }
        return find(accessToken, cipher.encrypt(accessToken));
    }

    @Override
    public ChargeResult charge(String accessToken, long amountCents) {
        return charge(ChargeRequest.of(accessToken, amountCents));
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        if (!tokens.mayOpenAccount(request.accessToken())) {
            return ChargeResult.notRegistered();
        }
        String tokenHash = tokens.hash(request.accessToken());
        Instant at = clock.instant();
        if (allowances.isPresent()) {
            String token = request.accessToken();
            allowances.get().beforeCharge(tokenHash, () -> tokens.isAuthentic(token), at);
        }
        ChargeResult result = grants.charge(Debit.ofTokenHash(tokenHash, request.amountCents(),
                request.allowNegativeBalance(), request.idempotencyKey(), request.memo(), at));
        users.afterTokenCharge(tokenHash, request.amountCents(), result, at);
        maintainer.afterWrite();
        return result;
    }

    @Override
    public WebhookResult handleWebhookPayload(String payload, String stripeSignatureHeader) {
        WebhookResult result = webhooks.handle(payload, stripeSignatureHeader);
        maintainer.afterWrite();
        return result;
    }

    @Override
    public CheckoutResult completeCheckout(String accessToken, String checkoutSessionId) {
        return checkoutReturns.complete(accessToken, checkoutSessionId);
    }

    @Override
    public String rotateToken(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        if (!tokens.mayOpenAccount(accessToken)) {
            throw new UnknownTokenException();
        }
        String replacement = tokens.mint();
        if (!store.rotateToken(tokens.hash(accessToken), tokens.hash(replacement))) {
            throw new UnknownTokenException();
        }
        return replacement;
    }

    @Override
    public String paymentLink(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        requireOpen();
        return linkFor(cipher.encrypt(accessToken));
    }

    @Override
    public List<LedgerEntry> ledger(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        if (!tokens.mayOpenAccount(accessToken)) {
            return List.of();
        }
        return store.findByTokenHash(tokens.hash(accessToken)).map(grants::fresh)
                .map(user -> store.ledger(user.userId()))
                .orElse(List.of());
    }

    @Override
    public MaintenanceReport maintain() {
        holds.expireAll();
        return maintainer.maintainAll();
    }

    @Override
    public ArchiveReport archiveBefore(Instant before, LedgerArchive sink) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(sink, "sink");
        return store.archiveBefore(before, sink);
    }

    @Override
    public void close() {
        closed = true;
        store.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the wallet is closed");
        }
    }

    private Optional<User> find(String token, String reference) {
        return store.findByTokenHash(tokens.hash(token)).map(grants::fresh).map(record -> toUser(record, reference));
    }

    private String linkFor(String reference) {
        // References are base64url: every character is unreserved in a URL, so no encoding.
        return paymentLinkBase + reference;
    }

    static User toUser(UserRecord record, String clientReferenceId) {
        return new User(record.userId(), record.balanceCents(),
                Optional.ofNullable(record.name()), Optional.ofNullable(record.email()),
                Optional.ofNullable(record.verifiedEmail()), Optional.ofNullable(record.cardFingerprint()),
                clientReferenceId, record.customFields(), record.grantedCents(),
                Optional.ofNullable(record.nextGrantExpiry()), record.heldCents());
    }

    @Override
    public String toString() {
        return "Wallet[store=" + store.getClass().getSimpleName() + "]";
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        return unclaimed.list();
    }

    @Override
    public UnclaimedPayment assignUnclaimedPayment(String unclaimedId, long userId, String operatorNote) {
        return unclaimed.assign(unclaimedId, userId, operatorNote);
    }

    @Override
    public UnclaimedPayment markUnclaimedPaymentRefunded(String unclaimedId, String operatorNote) {
        return unclaimed.markRefunded(unclaimedId, operatorNote);
    }

    @Override
    public SelfCheckReport selfCheck() {
        return selfCheck.get();
    }

    // Server-side account operations (issue 13, ADR 32).
    private final UserOperations users;

    @Override
    public ChargeResult chargeUser(long userId, long amountCents) {
        return chargeUser(UserChargeRequest.of(userId, amountCents));
    }

    @Override
    public ChargeResult chargeUser(UserChargeRequest request) {
        Objects.requireNonNull(request, "request");
        return users.charge(request);
    }

    @Override
    public Optional<User> findUser(long userId) {
        return users.find(userId);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        return users.ledger(userId);
    }

    @Override
    public boolean deleteUser(long userId) {
        return users.delete(userId);
    }

    @Override
    public AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId) {
        return adjust(userId, signedCents, reason, operationId, false);
    }

    @Override
    public AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId,
                                   boolean allowNegativeBalance) {
        return users.adjust(userId, signedCents, reason, operationId, allowNegativeBalance);
    }

    // Grants of free credit (ADR 33).

    @Override
    public GrantResult grant(GrantRequest request) {
        requireOpen();
        return grants.grant(request);
    }

    @Override
    public long voidGrant(long userId, String grantOperationId, String memo) {
        requireOpen();
        return grants.voidGrant(userId, grantOperationId, memo);
    }

    @Override
    public List<Grant> grants(long userId) {
        requireOpen();
        return grants.grants(userId);
    }

    @Override
    public int expireGrants() {
        requireOpen();
        return grants.expireAll();
    }

    // Holds (issue 14, ADR 34).

    @Override
    public ReserveResult reserve(HoldRequest request) {
        requireOpen();
        ReserveResult result = holds.reserve(this, request);
        maintainer.afterWrite();
        return result;
    }

    @Override
    public HoldResult capture(long holdId, long totalCents) {
        requireOpen();
        return holds.capture(holdId, totalCents, true);
    }

    @Override
    public HoldResult captureSome(long holdId, long capturedTotalCents) {
        requireOpen();
        return holds.capture(holdId, capturedTotalCents, false);
    }

    @Override
    public HoldResult release(long holdId) {
        requireOpen();
        return holds.release(holdId);
    }

    @Override
    public List<HoldState> holds(long userId) {
        requireOpen();
        return holds.holds(userId);
    }

    @Override
    public int expireHolds() {
        requireOpen();
        return holds.expireAll();
    }
}
