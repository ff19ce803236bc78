package dev.stripeflare.core;

import dev.stripeflare.ArchiveReport;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerArchive;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.Session;
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

/** The {@link Wallet} over a {@link UserStore}. Thread-safe: all state is immutable or the store's. */
final class DefaultWallet implements Wallet {
    private final UserStore store;
    private final AccessTokens tokens;
    private final ReferenceCipher cipher;
    private final StripeWebhooks webhooks;
    private final CheckoutReturns checkoutReturns;
    private final String paymentLinkBase;
    private final Clock clock;
    private final Maintainer maintainer;

    DefaultWallet(UserStore store, AccessTokens tokens, ReferenceCipher cipher, StripeWebhooks webhooks,
                  String paymentLink, Duration checkoutPendingWindow, boolean loginByPayment, Clock clock,
                  Maintainer maintainer) {
        this.maintainer = maintainer;
        this.store = store;
        this.tokens = tokens;
        this.cipher = cipher;
        this.webhooks = webhooks;
        this.checkoutReturns = new CheckoutReturns(store, tokens,
                (token, hash) -> store.findByTokenHash(hash).map(record -> toUser(record, cipher.encrypt(token))),
                checkoutPendingWindow, loginByPayment, clock);
        this.paymentLinkBase = paymentLink + (paymentLink.contains("?") ? "&" : "?") + "client_reference_id=";
        this.clock = clock;
    }

    @Override
    public Session session(String presentedTokenOrNull) {
        // Legacy tokens carry no MAC: kept only while they open an account (ADR 22). One store
        // read either way: the account found decides a legacy token and is the session's user.
        boolean authentic = tokens.isAuthentic(presentedTokenOrNull);
        Optional<UserRecord> account = authentic || AccessTokens.isLegacy(presentedTokenOrNull)
                ? store.findByTokenHash(tokens.hash(presentedTokenOrNull)) : Optional.empty();
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
        ChargeResult result = store.charge(new Debit(tokens.hash(request.accessToken()), request.amountCents(),
                request.allowNegativeBalance(), request.idempotencyKey(), request.memo(), clock.instant()));
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
        return linkFor(cipher.encrypt(accessToken));
    }

    @Override
    public List<LedgerEntry> ledger(String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        if (!tokens.mayOpenAccount(accessToken)) {
            return List.of();
        }
        return store.findByTokenHash(tokens.hash(accessToken))
                .map(user -> store.ledger(user.userId()))
                .orElse(List.of());
    }

    @Override
    public MaintenanceReport maintain() {
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
        store.close();
    }

    private Optional<User> find(String token, String reference) {
        return store.findByTokenHash(tokens.hash(token)).map(record -> toUser(record, reference));
    }

    private String linkFor(String reference) {
        // References are base64url: every character is unreserved in a URL, so no encoding.
        return paymentLinkBase + reference;
    }

    static User toUser(UserRecord record, String clientReferenceId) {
        return new User(record.userId(), record.balanceCents(),
                Optional.ofNullable(record.name()), Optional.ofNullable(record.email()),
                Optional.ofNullable(record.verifiedEmail()), Optional.ofNullable(record.cardFingerprint()),
                clientReferenceId, record.customFields());
    }

    @Override
    public String toString() {
        return "Wallet[store=" + store.getClass().getSimpleName() + "]";
    }
}
