package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.asyncFailed;
import static dev.stripeflare.core.WebhookHarness.asyncSucceeded;
import static dev.stripeflare.core.WebhookHarness.checkout;
import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckoutWebhookTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void paidCheckoutCreatesTheAccountAndCreditsAmountTotal() {
        WebhookResult result = harness.deliver(checkoutCompleted(ada, 1).json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        User user = harness.user(ada);
        assertThat(result.userId()).hasValue(user.userId());
        assertThat(user.balanceCents()).isEqualTo(500);
        assertThat(user.email()).contains("ada@example.com");
        assertThat(user.name()).contains("Ada Lovelace");
        assertThat(user.cardFingerprint()).as("the card waits for the paying browser's return").isEmpty();
        assertThat(harness.returnFrom(ada, 1).outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        assertThat(harness.user(ada).cardFingerprint()).contains(StripeJson.CARD_FINGERPRINT);
        assertThat(user.verifiedEmail()).as("a card payment verifies no email").isEmpty();
        assertThat(harness.ledger(ada)).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntryKind.PAYMENT);
            assertThat(entry.amountCents()).isEqualTo(500);
            assertThat(entry.operationId()).isEqualTo("checkout:" + WebhookHarness.sessionId(1));
            assertThat(entry.at()).isEqualTo(TestWallets.NOW);
        });
    }

    @Test
    void newTokenIsLookedUpAtStripeWithTheSecretKeyAndExpandedLatestCharge() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        assertThat(harness.stripe.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/v1/payment_intents/" + WebhookHarness.paymentIntent(1));
            assertThat(request.query()).contains("expand[0]=latest_charge");
            assertThat(request.authorization()).isEqualTo("Bearer sk_test_0123456789");
        });
    }

    @Test
    void knownTokenIsCreditedWithoutAskingStripe() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        int requestsAfterFirstPayment = harness.stripe.requests().size();

        WebhookResult second = harness.deliver(checkoutCompleted(ada, 2).json());

        assertThat(second.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(ada)).isEqualTo(1000);
        assertThat(harness.stripe.requests()).hasSize(requestsAfterFirstPayment);
    }

    @Test
    void sameEventDeliveredTwiceCreditsOnce() {
        String payload = checkoutCompleted(ada, 1).json();
        harness.deliver(payload);

        WebhookResult again = harness.deliver(payload);

        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(again.userId()).hasValue(harness.user(ada).userId());
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).hasSize(1);
    }

    @Test
    void completedThenAsyncSucceededForTheSameSessionCreditOnce() {
        assertThat(harness.deliver(checkoutCompleted(ada, 1).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);

        WebhookResult async = harness.deliver(asyncSucceeded(ada, 1).json());

        assertThat(async.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void asyncSucceededArrivingBeforeCompletedCreditsOnce() {
        assertThat(harness.deliver(asyncSucceeded(ada, 1).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);

        WebhookResult completed = harness.deliver(checkoutCompleted(ada, 1).json());

        assertThat(completed.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void unpaidCheckoutIsAcknowledgedAndCreditedWhenTheAsyncPaymentSucceeds() {
        WebhookResult unpaid = harness.deliver(checkoutCompleted(ada, 1)
                .replace("\"payment_status\": \"paid\"", "\"payment_status\": \"unpaid\"").json());

        assertThat(unpaid.httpStatus()).isEqualTo(200);
        assertThat(unpaid.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();

        WebhookResult succeeded = harness.deliver(asyncSucceeded(ada, 1).json());

        assertThat(succeeded.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void failedAsyncPaymentIsAcknowledgedAndCreditsNothing() {
        WebhookResult failed = harness.deliver(asyncFailed(ada, 1).json());

        assertThat(failed.httpStatus()).isEqualTo(200);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    @Test
    void paymentInAnotherCurrencyIsRecordedAndLeavesTheBalanceAlone() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        String euros = checkoutCompleted(ada, 2).replace("\"currency\": \"usd\"", "\"currency\": \"eur\"").json();

        WebhookResult result = harness.deliver(euros);

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CURRENCY_MISMATCH);
        assertThat(result.message()).contains("eur").contains("usd");
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).hasSize(1);
        assertThat(harness.deliver(euros).outcome()).as("recorded, so a redelivery is a duplicate")
                .isEqualTo(WebhookOutcome.DUPLICATE);
    }

    @Test
    void adaptivePricingIsCreditedItsAmountInTheWalletCurrency() {
        String converted = checkoutCompleted(ada, 1)
                .replace("\"currency\": \"usd\"", "\"currency\": \"eur\"")
                .replace("\"amount_total\": 500", "\"amount_total\": 463")
                .replace("\"currency_conversion\": null", "\"currency_conversion\": {\"amount_subtotal\": 500,"
                        + " \"amount_total\": 500, \"fx_rate\": \"0.926\", \"source_currency\": \"usd\"}")
                .json();

        WebhookResult result = harness.deliver(converted);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    /**
     * Issue 11 item 3: a reference made under another {@code DB_SECRET} (an instance configured
     * differently, or another application on the same link) cannot be credited; it used to be
     * IGNORED, so Stripe stopped retrying and the money was silently lost to the payer. It is now
     * kept as an unclaimed payment.
     */
    @Test
    void referenceIssuedUnderAnotherDbSecretIsKeptAsUnclaimed() {
        Session stranger;
        try (var other = Stripeflare.builder().userStore(new InMemoryUserStore())
                .dbSecret("another-applications-db-secret-0123456789")
                .webhookSigningSecret(TestWallets.SIGNING_SECRET).stripeSecretKey("sk_test_other")
                .paymentLink(TestWallets.PAYMENT_LINK).build()) {
            stranger = other.session(null);
        }

        WebhookResult result = harness.deliver(checkoutCompleted(stranger, 1).json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.UNCLAIMED);
        assertThat(harness.wallet.lookupUser(stranger.accessToken())).isEmpty();
        assertThat(harness.wallet.unclaimedPayments()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo(UnclaimedPayment.Reason.UNREADABLE_REFERENCE));
        assertThat(harness.stripe.requests()).isEmpty();
    }

    @Test
    void referenceOfAnotherFormWithoutAPaymentLinkIdIsIgnored() {
        WebhookResult result = harness.deliver(checkoutCompleted(ada, 1)
                .replace(ada.clientReferenceId(), "order-4711").json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.wallet.unclaimedPayments()).isEmpty();
        assertThat(harness.recorded.changes()).isZero();
    }

    @Test
    void checkoutWithoutClientReferenceIsIgnored() {
        String payload = checkoutCompleted(ada, 1)
                .replace("\"client_reference_id\": \"" + ada.clientReferenceId() + "\"", "\"client_reference_id\": null")
                .json();

        WebhookResult result = harness.deliver(payload);

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
    }

    @Test
    void checkoutOfZeroIsIgnored() {
        WebhookResult result = harness.deliver(checkoutCompleted(ada, 1)
                .replace("\"amount_total\": 500", "\"amount_total\": 0").json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    @Test
    void paidCheckoutWithoutAmountOrPaymentIntentIsRefused() {
        WebhookResult noAmount = harness.deliver(checkoutCompleted(ada, 1)
                .replace("\"amount_total\": 500,", "").json());
        WebhookResult noIntent = harness.deliver(checkoutCompleted(ada, 2)
                .replace("\"payment_intent\": \"" + WebhookHarness.paymentIntent(2) + "\"", "\"payment_intent\": null")
                .json());

        assertThat(List.of(noAmount, noIntent)).allSatisfy(result -> {
            assertThat(result.httpStatus()).isEqualTo(400);
            assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        });
        assertThat(noAmount.message()).contains("amount_total");
        assertThat(noIntent.message()).contains("payment_intent");
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    @Test
    void eightConcurrentDeliveriesOfOneEventCreditOnce() throws Exception {
        String payload = checkoutCompleted(ada, 1).json();
        String header = StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, WebhookHarness.NOW_SECONDS);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<WebhookResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return harness.wallet.handleWebhookPayload(payload, header);
                }));
            }
            start.countDown();
            List<WebhookOutcome> outcomes = new ArrayList<>();
            for (Future<WebhookResult> result : results) {
                WebhookResult r = result.get(30, TimeUnit.SECONDS);
                assertThat(r.httpStatus()).isEqualTo(200);
                outcomes.add(r.outcome());
            }
            assertThat(outcomes).containsOnlyOnce(WebhookOutcome.CREDITED)
                    .filteredOn(o -> o != WebhookOutcome.CREDITED).containsOnly(WebhookOutcome.DUPLICATE);
        } finally {
            pool.shutdownNow();
        }
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents).containsExactly(500L);
    }

    @Test
    void storeFailureAsksStripeToRetryLater() {
        harness.store.close();

        WebhookResult result = harness.wallet.handleWebhookPayload(checkoutCompleted(ada, 1).json(),
                StripeSignatures.header(checkoutCompleted(ada, 1).json(), TestWallets.SIGNING_SECRET,
                        WebhookHarness.NOW_SECONDS));

        assertThat(result.httpStatus()).isEqualTo(503);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
    }

    @Test
    void unknownEventTypeIsIgnored() {
        WebhookResult result = harness.deliver(checkout("checkout.session.completed.json", ada.clientReferenceId(), 1)
                .replace("\"type\": \"checkout.session.completed\"", "\"type\": \"customer.created\"").json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }
}
