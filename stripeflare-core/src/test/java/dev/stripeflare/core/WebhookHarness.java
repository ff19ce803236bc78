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
    // Well below FakeStripeApi's 3 s SLOW answer, well above a lookup on a loaded 2-core CI machine.
    static final Duration STRIPE_TIMEOUT = Duration.ofMillis(2_000);

    final InMemoryUserStore store = new InMemoryUserStore();
    /** The store the wallet uses: {@link #store}, recording which calls changed state. */
    final RecordingUserStore recorded = new RecordingUserStore(store);
    final FakeStripeApi stripe = new FakeStripeApi();
    /** The wallet's clock, at {@link TestWallets#NOW} until a test advances it. */
    final MutableClock clock = new MutableClock(TestWallets.NOW);
    final Wallet wallet;

    WebhookHarness() {
        this(builder -> builder);
    }

    WebhookHarness(UnaryOperator<Stripeflare.Builder> settings) {
        // Login by payment is on here (the builder's default is off): most tests exercise it.
        wallet = settings.apply(TestWallets.builder(recorded).loginByPayment(true)
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

    /** {@code charge.dispute.created} of payment {@code n} as an inquiry: no money moved yet. */
    static StripeJson disputeInquiry(int n) {
        return disputed(n).replace("\"status\": \"needs_response\"", "\"status\": \"warning_needs_response\"")
                .replace("\"case_type\": \"chargeback\"", "\"case_type\": \"inquiry\"")
                .replace("evt_1SAcmeDisputeCreated0001", "evt_inquiry_" + n);
    }

    /** {@code charge.dispute.funds_withdrawn} of payment {@code n}'s dispute (an escalated inquiry). */
    static StripeJson disputeFundsWithdrawn(int n) {
        return disputed(n).replace("\"type\": \"charge.dispute.created\"", "\"type\": \"charge.dispute.funds_withdrawn\"")
                .replace("evt_1SAcmeDisputeCreated0001", "evt_withdrawn_" + n);
    }

    /** {@code charge.dispute.closed} of payment {@code n}'s dispute, closed as {@code status}. */
    static StripeJson disputeClosed(int n, String status) {
        return StripeJson.load("charge.dispute.closed.json")
                .replace(StripeJson.PAYMENT_INTENT, paymentIntent(n))
                .replace(StripeJson.CARD_CHARGE, "ch_test_" + n)
                .replace("dp_1SAcmeDispute0001", "dp_test_" + n)
                .replace("\"status\": \"won\"", "\"status\": \"" + status + "\"")
                .replace("evt_1SAcmeDisputeClosed0001", "evt_closed_" + status + "_" + n);
    }

    /** {@code charge.refund.updated} of payment {@code n}'s refund of 200, now {@code status}. */
    static StripeJson refundUpdated(int n, String status) {
        StripeJson updated = StripeJson.load("charge.refund.updated.json")
                .replace(StripeJson.PAYMENT_INTENT, paymentIntent(n))
                .replace(StripeJson.CARD_CHARGE, "ch_test_" + n)
                .replace("\"status\": \"failed\"", "\"status\": \"" + status + "\"")
                .replace("evt_3SAcmeRefundUpdated0001", "evt_refund_" + status + "_" + n);
        if (!"failed".equals(status)) {
            updated = updated.replace("\"failure_balance_transaction\": \"txn_3SAcmeRefundFailBal0001\"",
                            "\"failure_balance_transaction\": null")
                    .replace("\"failure_reason\": \"expired_or_canceled_card\"", "\"failure_reason\": null");
        }
        return updated;
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
