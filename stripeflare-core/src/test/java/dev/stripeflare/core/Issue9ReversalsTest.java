package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.disputeClosed;
import static dev.stripeflare.core.WebhookHarness.disputeFundsWithdrawn;
import static dev.stripeflare.core.WebhookHarness.disputeInquiry;
import static dev.stripeflare.core.WebhookHarness.disputed;
import static dev.stripeflare.core.WebhookHarness.refundUpdated;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 5: reversals could exceed the payment, inquiries were debited, won disputes and
 * failed refunds were never given back, and Adaptive Pricing refunds were ignored.
 *
 * <p>Root causes: each refund and dispute debited its full amount on its own (the store knew no
 * payment total), so a dispute and a refund of one 500 payment took 1 000; every
 * {@code charge.dispute.created} was treated as a chargeback, though an inquiry
 * ({@code warning_needs_response}) withdraws nothing; {@code charge.dispute.closed} and
 * {@code charge.refund.updated} were not handled; a refund in the customer's (presentment)
 * currency was only recorded as a currency mismatch. Now the store caps what all reversals of one
 * payment take at what it credited, restorations give back exactly once, and foreign-currency
 * reversals take their fraction of the charge.
 */
class Issue9ReversalsTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long ledgerSum() {
        return harness.ledger(ada).stream().mapToLong(LedgerEntry::amountCents).sum();
    }

    @Test
    void disputeThenRefundOfOnePaymentTakeAtMostThePayment() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        assertThat(harness.deliver(disputed(1).json()).outcome()).isEqualTo(WebhookOutcome.DEBITED);

        WebhookResult refund = harness.deliver(refunded(1).json());

        assertThat(refund.httpStatus()).isEqualTo(200);
        assertThat(refund.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.balance(ada)).as("paid 500, reversed at most 500").isEqualTo(0);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents).containsExactly(500L, -500L);
        assertThat(harness.deliver(refunded(1).json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
    }

    @Test
    void refundThenDisputeTakeOnlyWhatIsLeftOfThePayment() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());

        WebhookResult dispute = harness.deliver(disputed(1).json());

        assertThat(dispute.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents).containsExactly(500L, -200L, -300L);
        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    @Test
    void spentMoneyIsStillTakenBackButNeverMoreThanThePayment() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        assertThat(harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 300)).outcome())
                .isEqualTo(ChargeOutcome.CHARGED);

        harness.deliver(disputed(1).json());
        harness.deliver(refunded(1).json());

        assertThat(harness.balance(ada)).as("500 paid, 300 spent, 500 disputed").isEqualTo(-300);
        assertThat(ledgerSum()).isEqualTo(-300);
    }

    @Test
    void inquiryMovesNoMoneyAndRecordsNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult inquiry = harness.deliver(disputeInquiry(1).json());

        assertThat(inquiry.httpStatus()).isEqualTo(200);
        assertThat(inquiry.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).hasSize(1);
        assertThat(harness.deliver(disputeFundsWithdrawn(1).json()).outcome())
                .as("the same dispute escalated: its funds are withdrawn now, and nothing was recorded to block it")
                .isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    @Test
    void createdAndFundsWithdrawnOfOneDisputeTakeItOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());

        WebhookResult withdrawn = harness.deliver(disputeFundsWithdrawn(1).json());

        assertThat(withdrawn.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    @Test
    void wonDisputeIsGivenBackExactlyOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());

        WebhookResult won = harness.deliver(disputeClosed(1, "won").json());

        assertThat(won.httpStatus()).isEqualTo(200);
        assertThat(won.outcome()).isEqualTo(WebhookOutcome.RESTORED);
        assertThat(won.userId()).hasValue(harness.user(ada).userId());
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).last().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntryKind.DISPUTE_WON);
            assertThat(entry.amountCents()).isEqualTo(500);
            assertThat(entry.operationId()).isEqualTo("dispute-won:dp_test_1");
        });
        assertThat(harness.deliver(disputeClosed(1, "won").json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.deliver(disputed(1).json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void wonDisputeGivesBackOnlyWhatItTookAfterACap() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());
        harness.deliver(disputed(1).json());

        harness.deliver(disputeClosed(1, "won").json());

        assertThat(harness.balance(ada)).as("the refund of 200 stays taken; the dispute's 300 comes back")
                .isEqualTo(300);
        assertThat(ledgerSum()).isEqualTo(300);
    }

    @Test
    void lostDisputeIsAcknowledgedAndStaysTaken() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());

        WebhookResult lost = harness.deliver(disputeClosed(1, "lost").json());

        assertThat(lost.httpStatus()).isEqualTo(200);
        assertThat(lost.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.balance(ada)).isEqualTo(0);
        assertThat(harness.ledger(ada)).hasSize(2);
    }

    @Test
    void disputeWonBeforeItsCreatedEventArrivesIsNeverTaken() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult won = harness.deliver(disputeClosed(1, "won").json());
        WebhookResult late = harness.deliver(disputed(1).json());

        assertThat(won.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(late.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).hasSize(1);
    }

    @Test
    void failedRefundIsGivenBackExactlyOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());

        WebhookResult failed = harness.deliver(refundUpdated(1, "failed").json());

        assertThat(failed.httpStatus()).isEqualTo(200);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.RESTORED);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.ledger(ada)).last().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntryKind.REFUND_FAILED);
            assertThat(entry.amountCents()).isEqualTo(200);
            assertThat(entry.operationId()).isEqualTo("refund-failed:re_3SAcmeRefund0001");
        });
        assertThat(harness.deliver(refundUpdated(1, "failed").json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.deliver(refunded(1).json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void refundFailingBeforeItIsTakenIsNeverTaken() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult failed = harness.deliver(refundUpdated(1, "failed").json());
        WebhookResult staleSucceeded = harness.deliver(refunded(1).json());

        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(staleSucceeded.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void refundUpdatedBeforeChargeRefundedTakesTheRefundOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult updated = harness.deliver(refundUpdated(1, "succeeded").json());
        WebhookResult refunded = harness.deliver(refunded(1).json());

        assertThat(updated.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(refunded.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(300);
    }

    @Test
    void pendingRefundIsTakenAndGivenBackWhenCanceled() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        assertThat(harness.deliver(refundUpdated(1, "pending").json()).outcome()).isEqualTo(WebhookOutcome.DEBITED);

        WebhookResult canceled = harness.deliver(refundUpdated(1, "canceled").json());

        assertThat(canceled.outcome()).isEqualTo(WebhookOutcome.RESTORED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    /** A legacy Adaptive Pricing checkout: paid 4.63 EUR for the 5.00 USD price. */
    private String adaptiveCheckout() {
        return checkoutCompleted(ada, 1)
                .replace("\"currency\": \"usd\"", "\"currency\": \"eur\"")
                .replace("\"amount_total\": 500", "\"amount_total\": 463")
                .replace("\"currency_conversion\": null", "\"currency_conversion\": {\"amount_subtotal\": 500,"
                        + " \"amount_total\": 500, \"fx_rate\": \"0.926\", \"source_currency\": \"usd\"}")
                .json();
    }

    /** Payment 1's charge in euros (4.63) with one refund of {@code refundCents} euro cents. */
    private static String refundedInEuros(long refundCents) {
        JsonObject event = JsonParser.parseString(refunded(1).json()).getAsJsonObject();
        JsonObject charge = event.getAsJsonObject("data").getAsJsonObject("object");
        charge.addProperty("currency", "eur");
        charge.addProperty("amount", 463);
        charge.addProperty("amount_captured", 463);
        charge.addProperty("amount_refunded", refundCents);
        JsonObject refund = charge.getAsJsonObject("refunds").getAsJsonArray("data").get(0).getAsJsonObject();
        refund.addProperty("currency", "eur");
        refund.addProperty("amount", refundCents);
        return event.toString();
    }

    @Test
    void adaptivePricingRefundTakesItsFractionOfWhatWasCredited() {
        assertThat(harness.deliver(adaptiveCheckout()).outcome()).isEqualTo(WebhookOutcome.CREDITED);

        WebhookResult result = harness.deliver(refundedInEuros(185));

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents)
                .as("185/463 of 500 = 199.78, rounded half up").containsExactly(500L, -200L);
    }

    @Test
    void adaptivePricingFullRefundTakesExactlyWhatWasCredited() {
        harness.deliver(adaptiveCheckout());

        harness.deliver(refundedInEuros(463));

        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    @Test
    void adaptivePricingDisputeIsConvertedThroughItsChargeReadFromStripe() {
        harness.deliver(adaptiveCheckout());
        harness.stripe.charge("ch_test_1", StripeJson.load("charge.card.json")
                .replace(StripeJson.CARD_CHARGE, "ch_test_1")
                .replace(StripeJson.PAYMENT_INTENT, WebhookHarness.paymentIntent(1))
                .replace("\"currency\": \"usd\",", "\"currency\": \"usd\", \"presentment_details\": {\"presentment_amount\":"
                        + " 463, \"presentment_currency\": \"eur\"},").json());

        WebhookResult result = harness.deliver(disputed(1).replace("\"amount\": 500", "\"amount\": 463")
                .replace("\"currency\": \"usd\"", "\"currency\": \"eur\"").json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(0);
        assertThat(harness.stripe.requests()).last().satisfies(request ->
                assertThat(request.path()).isEqualTo("/v1/charges/ch_test_1"));
    }

    @Test
    void disputeInACurrencyTheChargeDidNotTakeIsACurrencyMismatch() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.stripe.charge("ch_test_1", StripeJson.load("charge.card.json")
                .replace(StripeJson.CARD_CHARGE, "ch_test_1")
                .replace(StripeJson.PAYMENT_INTENT, WebhookHarness.paymentIntent(1)).json());

        WebhookResult result = harness.deliver(disputed(1).replace("\"currency\": \"usd\"", "\"currency\": \"gbp\"")
                .json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CURRENCY_MISMATCH);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    /**
     * Race: a payment's credit, its dispute (created and funds_withdrawn), its refund (both event
     * kinds) and redeliveries, from 8 threads at once. Whatever the order, exactly the payment is
     * taken back, never more, and the ledger adds up.
     */
    @Test
    void creditRefundsAndDisputeOfOnePaymentRacingTakeExactlyThePayment() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 40; round++) {
                int n = 100 + round;
                String[] events = {checkoutCompleted(ada, n).json(), disputed(n).json(), disputeFundsWithdrawn(n).json(),
                        refunded(n).json(), refundUpdated(n, "succeeded").json(), disputed(n).json(),
                        refunded(n).json(), checkoutCompleted(ada, n).json()};
                long before = harness.balance(ada);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<WebhookResult>> results = new ArrayList<>();
                for (String event : events) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return harness.deliver(event);
                    }));
                }
                start.countDown();
                for (Future<WebhookResult> result : results) {
                    assertThat(result.get().httpStatus()).as("round %d", round).isEqualTo(200);
                }
                assertThat(harness.balance(ada)).as("round %d: paid 500, reversed 500 in all", round)
                        .isEqualTo(before);
                assertThat(ledgerSum()).isEqualTo(harness.balance(ada));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Race: a dispute's created and won events, and redeliveries, at once. Either the dispute is
     * taken and given back, or cancelled before it is taken: the balance ends where it started.
     */
    @Test
    void disputeWonRacingItsCreationEndsWithTheMoneyBack() throws Exception {
        harness.deliver(checkoutCompleted(ada, 1).json());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 40; round++) {
                int n = 1_000 + round;
                harness.deliver(checkoutCompleted(ada, n).json());
                long before = harness.balance(ada);
                String[] events = {disputed(n).json(), disputeClosed(n, "won").json(), disputeFundsWithdrawn(n).json(),
                        disputeClosed(n, "won").json(), disputed(n).json(), refundUpdated(n, "failed").json(),
                        refunded(n).json(), refundUpdated(n, "failed").json()};
                CountDownLatch start = new CountDownLatch(1);
                List<Future<WebhookResult>> results = new ArrayList<>();
                for (String event : events) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return harness.deliver(event);
                    }));
                }
                start.countDown();
                for (Future<WebhookResult> result : results) {
                    assertThat(result.get().httpStatus()).isEqualTo(200);
                }
                assertThat(harness.balance(ada)).as("round %d", round).isEqualTo(before);
                assertThat(ledgerSum()).isEqualTo(harness.balance(ada));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Abuse: whoever knows the webhook URL but not the secret cannot give money back; a captured
     * genuine "dispute won" replayed later is stale, and replayed in time it is a duplicate.
     */
    @Test
    void forgedOrReplayedRestorationsGiveNothingBack() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());
        String won = disputeClosed(1, "won").json();

        WebhookResult forged = harness.wallet.handleWebhookPayload(won,
                StripeSignatures.header(won, "whsec_guessed_secret_000000000000", WebhookHarness.NOW_SECONDS));
        WebhookResult stale = harness.wallet.handleWebhookPayload(won,
                StripeSignatures.header(won, TestWallets.SIGNING_SECRET, WebhookHarness.NOW_SECONDS - 3_600));
        harness.deliver(won);
        WebhookResult replayed = harness.deliver(won);
        WebhookResult failedRefundNeverMade = harness.deliver(refundUpdated(1, "failed").json());

        assertThat(forged.outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(stale.outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(replayed.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(failedRefundNeverMade.outcome()).isEqualTo(WebhookOutcome.ACKNOWLEDGED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }
}
