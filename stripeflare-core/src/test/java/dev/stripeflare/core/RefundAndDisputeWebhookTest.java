package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.disputed;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefundAndDisputeWebhookTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    /** Payment 1's charge after a second refund (of 100): Stripe lists both refunds in the new event. */
    private static String twoRefunds() {
        return twoRefunds(100);
    }

    private static String twoRefunds(long secondAmount) {
        JsonObject event = JsonParser.parseString(refunded(1).json()).getAsJsonObject();
        event.addProperty("id", "evt_refunded_again");
        JsonObject charge = event.getAsJsonObject("data").getAsJsonObject("object");
        charge.addProperty("amount_refunded", 200 + secondAmount);
        JsonArray refunds = charge.getAsJsonObject("refunds").getAsJsonArray("data");
        JsonObject second = refunds.get(0).getAsJsonObject().deepCopy();
        second.addProperty("id", "re_3SAcmeRefund0002");
        second.addProperty("amount", secondAmount);
        refunds.add(second);
        charge.getAsJsonObject("refunds").addProperty("total_count", 2);
        return event.toString();
    }

    @Test
    void refundIsTakenBackFromTheCreditedAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult result = harness.deliver(refunded(1).json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(result.userId()).hasValue(harness.user(ada).userId());
        assertThat(harness.balance(ada)).isEqualTo(300);
        assertThat(harness.ledger(ada)).last().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntryKind.REFUND);
            assertThat(entry.amountCents()).isEqualTo(-200);
            assertThat(entry.operationId()).isEqualTo("refund:re_3SAcmeRefund0001");
        });
    }

    @Test
    void sameRefundDeliveredTwiceIsTakenOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());

        WebhookResult again = harness.deliver(refunded(1).json());

        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(300);
    }

    @Test
    void secondRefundOfAChargeTakesOnlyTheNewRefund() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());

        WebhookResult second = harness.deliver(twoRefunds());

        assertThat(second.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(200);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents).containsExactly(500L, -200L, -100L);
    }

    @Test
    void twoRefundsOfTheSameAmountAreBothTaken() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());

        WebhookResult second = harness.deliver(twoRefunds(200));

        assertThat(second.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(100);
    }

    @Test
    void refundEventsOutOfOrderStillTakeEachRefundOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(twoRefunds());

        WebhookResult older = harness.deliver(refunded(1).json());

        assertThat(older.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(200);
    }

    @Test
    void refundArrivingBeforeThePaymentIsDeferredAndAppliedWithTheCredit() {
        WebhookResult early = harness.deliver(refunded(1).json());

        assertThat(early.httpStatus()).isEqualTo(200);
        assertThat(early.outcome()).isEqualTo(WebhookOutcome.DEFERRED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();

        WebhookResult credit = harness.deliver(checkoutCompleted(ada, 1).json());

        assertThat(credit.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(ada)).isEqualTo(300);
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.REFUND);
        assertThat(harness.deliver(refunded(1).json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(300);
    }

    @Test
    void refundsMissingFromTheEventAreListedFromStripe() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.stripe.refunds("ch_test_1", StripeJson.load("refund.list.json")
                .replace(StripeJson.CARD_CHARGE, "ch_test_1").json());
        String withoutList = refunded(1).json().replaceAll("(?s),\\s*\"refunds\": \\{.*?\"url\": \"/v1/charges/ch_test_1/refunds\"\\s*}", "");
        assertThat(withoutList).doesNotContain("\"refunds\"");

        WebhookResult result = harness.deliver(withoutList);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(300);
        assertThat(harness.stripe.requests()).last().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v1/refunds");
            assertThat(request.query()).contains("charge=ch_test_1");
            assertThat(request.authorization()).isEqualTo("Bearer sk_test_0123456789");
        });
    }

    @Test
    void refundListFailingAtStripeAsksForRedeliveryAndTakesNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.stripe.failNext(FakeStripeApi.Failure.SERVER_ERROR);
        String incomplete = refunded(1).replace("\"has_more\": false", "\"has_more\": true").json();

        WebhookResult result = harness.deliver(incomplete);

        assertThat(result.httpStatus()).isEqualTo(503);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.stripe.requests()).filteredOn(request -> request.path().equals("/v1/refunds")).hasSize(1);
    }

    @Test
    void failedRefundTakesNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult result = harness.deliver(refunded(1)
                .replace("\"status\": \"succeeded\",\n            \"transfer_reversal\"",
                        "\"status\": \"failed\",\n            \"transfer_reversal\"").json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void refundInACurrencyItsChargeDidNotTakeIsRecordedAndTakesNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        String pounds = refunded(1).replace("\"currency\": \"usd\",\n            \"destination_details\"",
                "\"currency\": \"gbp\",\n            \"destination_details\"").json();

        WebhookResult result = harness.deliver(pounds);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CURRENCY_MISMATCH);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.deliver(pounds).outcome()).as("recorded, so a redelivery is a duplicate")
                .isEqualTo(WebhookOutcome.DUPLICATE);
    }

    @Test
    void disputeIsTakenBackAndMayLeaveTheBalanceNegative() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        assertThat(harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 300)).outcome())
                .isEqualTo(ChargeOutcome.CHARGED);

        WebhookResult result = harness.deliver(disputed(1).json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(-300);
        assertThat(harness.ledger(ada)).last().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntryKind.DISPUTE);
            assertThat(entry.amountCents()).isEqualTo(-500);
            assertThat(entry.operationId()).isEqualTo("dispute:dp_test_1");
        });
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::amountCents).containsExactly(500L, -300L, -500L);
    }

    @Test
    void sameDisputeDeliveredTwiceIsTakenOnce() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());

        WebhookResult again = harness.deliver(disputed(1).json());

        assertThat(again.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    @Test
    void disputeWithoutPaymentIntentFindsItThroughItsCharge() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.stripe.charge("ch_test_1", StripeJson.load("charge.card.json")
                .replace(StripeJson.CARD_CHARGE, "ch_test_1")
                .replace(StripeJson.PAYMENT_INTENT, WebhookHarness.paymentIntent(1)).json());

        WebhookResult result = harness.deliver(disputed(1)
                .replace("\"payment_intent\": \"" + WebhookHarness.paymentIntent(1) + "\"", "\"payment_intent\": null")
                .json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(ada)).isEqualTo(0);
        assertThat(harness.stripe.requests()).last().satisfies(request ->
                assertThat(request.path()).isEqualTo("/v1/charges/ch_test_1"));
    }

    @Test
    void disputeBeforeThePaymentIsDeferred() {
        WebhookResult early = harness.deliver(disputed(1).json());

        assertThat(early.outcome()).isEqualTo(WebhookOutcome.DEFERRED);
        harness.deliver(checkoutCompleted(ada, 1).json());
        assertThat(harness.balance(ada)).isEqualTo(0);
    }

    /** Found by {@link WebhookFuzzTest}: a refund without a status answered 500 (a NullPointerException). */
    @Test
    void refundWithoutStatusIsRefusedAndTakesNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult result = harness.deliver(refunded(1)
                .replace("\"status\": \"succeeded\",\n            \"transfer_reversal\"",
                        "\"transfer_reversal\"").json());

        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    /**
     * Found by {@link WebhookFuzzTest}: stripe-java reads the refunds list through a polymorphic
     * adapter, so an item whose {@code object} is not {@code refund} is another class inside the
     * {@code List<Refund>}, and iterating it answered 500 (a ClassCastException).
     */
    @Test
    void refundsListHoldingSomethingElseIsRefusedAndTakesNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult result = harness.deliver(refunded(1)
                .replace("\"object\": \"refund\"", "\"object\": \"payout\"").json());

        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }
}
