package dev.stripeflare.core;

import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A wallet over the in-memory store, with Stripe's API played by {@link FakeStripeApi} and every
 * webhook signed for real at the wallet's fixed clock. Scenario payloads come from the fixtures
 * with ids made unique per payment number {@code n}.
 */
final class WebhookHarness implements AutoCloseable {
    static final long NOW_SECONDS = TestWallets.NOW.getEpochSecond();
    static final Duration STRIPE_TIMEOUT = Duration.ofMillis(500);

    final InMemoryUserStore store = new InMemoryUserStore();
    final FakeStripeApi stripe = new FakeStripeApi();
    /** The wallet's clock, at {@link TestWallets#NOW} until a test advances it. */
    final MutableClock clock = new MutableClock(TestWallets.NOW);
    final Wallet wallet;

    WebhookHarness() {
        this(builder -> builder);
    }

    WebhookHarness(UnaryOperator<Stripeflare.Builder> settings) {
        wallet = settings.apply(TestWallets.builder(store)
                .clock(clock)
                .stripeApiBase(stripe.baseUri())
                .stripeApiTimeout(STRIPE_TIMEOUT)).build();
    }

    /** A new visitor's session: a fresh token and its client_reference_id. */
    Session visitor() {
        return wallet.session(null);
    }

    /** Delivers {@code payload} signed at the wallet's current time. */
    WebhookResult deliver(String payload) {
        return wallet.handleWebhookPayload(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET,
                clock.instant().getEpochSecond()));
    }

    /** The browser holding {@code visitor}'s cookie returns from checkout {@code n}. */
    CheckoutResult returnFrom(Session visitor, int n) {
        return wallet.completeCheckout(visitor.accessToken(), sessionId(n));
    }

    static String sessionId(int n) {
        return "cs_test_" + n;
    }

    static String paymentIntent(int n) {
        return "pi_test_" + n;
    }

    /** {@code checkout.session.completed}, paid by {@code visitor}'s reference, payment {@code n}. */
    static StripeJson checkoutCompleted(Session visitor, int n) {
        return checkout("checkout.session.completed.json", visitor.clientReferenceId(), n)
                .replace("evt_1SAcmeCheckoutCompleted0001", "evt_completed_" + n);
    }

    static StripeJson asyncSucceeded(Session visitor, int n) {
        return checkout("checkout.session.async_payment_succeeded.json", visitor.clientReferenceId(), n)
                .replace("evt_1SAcmeAsyncSucceeded0001", "evt_async_" + n);
    }

    static StripeJson asyncFailed(Session visitor, int n) {
        return checkout("checkout.session.async_payment_failed.json", visitor.clientReferenceId(), n);
    }

    static StripeJson checkout(String fixture, String clientReferenceId, int n) {
        return StripeJson.load(fixture)
                .replace(StripeJson.REFERENCE_PLACEHOLDER, clientReferenceId)
                .replace(StripeJson.SESSION_ID, sessionId(n))
                .replace(StripeJson.PAYMENT_INTENT, paymentIntent(n));
    }

    /** {@code charge.refunded} for payment {@code n}, with the fixture's one refund of 200. */
    static StripeJson refunded(int n) {
        return StripeJson.load("charge.refunded.json")
                .replace(StripeJson.PAYMENT_INTENT, paymentIntent(n))
                .replace(StripeJson.CARD_CHARGE, "ch_test_" + n);
    }

    /** {@code charge.dispute.created} of 500 for payment {@code n}. */
    static StripeJson disputed(int n) {
        return StripeJson.load("charge.dispute.created.json")
                .replace(StripeJson.PAYMENT_INTENT, paymentIntent(n))
                .replace(StripeJson.CARD_CHARGE, "ch_test_" + n)
                .replace("dp_1SAcmeDispute0001", "dp_test_" + n);
    }

    User user(Session visitor) {
        return wallet.lookupUser(visitor.accessToken()).orElseThrow();
    }

    long balance(Session visitor) {
        return wallet.lookupUser(visitor.accessToken()).map(User::balanceCents).orElse(0L);
    }

    List<LedgerEntry> ledger(Session visitor) {
        return wallet.ledger(visitor.accessToken());
    }

    @Override
    public void close() {
        wallet.close();
        stripe.close();
    }
}
