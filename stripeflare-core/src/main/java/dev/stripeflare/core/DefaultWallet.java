package dev.stripeflare.core;

import dev.stripeflare.Grant;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.Session;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.User;
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
    private final GrantDesk grants;
    private final Optional<Allowances> allowances;

    DefaultWallet(UserStore store, AccessTokens tokens, ReferenceCipher cipher, StripeWebhooks webhooks,
                  String paymentLink, Duration checkoutPendingWindow, boolean loginByPayment, Clock clock,
                  UnclaimedPayments unclaimed, Supplier<SelfCheckReport> selfCheck, GrantDesk grants,
                  Optional<Allowances> allowances) {
        this.store = store;
        this.grants = grants;
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
        Instant now = clock.instant();
        if (allowances.isPresent()) {
            allowances.get().beforeCharge(tokenHash, now);
        }
        return store.charge(new Debit(tokenHash, request.amountCents(),
                request.allowNegativeBalance(), request.idempotencyKey(), request.memo(), now));
    }

    @Override
    public WebhookResult handleWebhookPayload(String payload, String stripeSignatureHeader) {
        return webhooks.handle(payload, stripeSignatureHeader);
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
                Optional.ofNullable(record.nextGrantExpiry()));
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
}
