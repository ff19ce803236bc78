package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Session;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review: a test-mode payment costs nothing (card 4242…), and any visitor can pay the merchant's
 * test-mode Payment Link with their own {@code client_reference_id} appended. An operator who
 * configured the test endpoint's signing secret next to the live one (both accepted, as during a
 * rotation) would then see free test payments credited to live wallets. A wallet whose API key is
 * a live key applies live-mode events only, and a test-key wallet test-mode events only.
 */
class TestModeEventTest {
    private final WebhookHarness live = new WebhookHarness(builder -> builder.stripeSecretKey("sk_live_review"));

    @AfterEach
    void close() {
        live.close();
    }

    @Test
    void aTestModePaymentNeverCreditsALiveWallet() {
        Session attacker = live.visitor();
        live.stripe.cardPayment(paymentIntent(1), "fp_test_card");

        WebhookResult result = live.deliver(checkoutCompleted(attacker, 1).json());

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(live.wallet.lookupUser(attacker.accessToken())).isEmpty();
        assertThat(live.recorded.changes()).isZero();
    }

    @Test
    void aLiveModePaymentCreditsALiveWallet() {
        Session payer = live.visitor();
        live.stripe.cardPayment(paymentIntent(1), "fp_live_card");

        WebhookResult result = live.deliver(checkoutCompleted(payer, 1)
                .replace("\"livemode\": false", "\"livemode\": true").json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(live.balance(payer)).isPositive();
    }

    @Test
    void aLiveModeEventNeverCreditsATestWallet() {
        try (WebhookHarness test = new WebhookHarness()) {
            Session payer = test.visitor();
            test.stripe.cardPayment(paymentIntent(1), "fp_card");

            WebhookResult result = test.deliver(checkoutCompleted(payer, 1)
                    .replace("\"livemode\": false", "\"livemode\": true").json());

            // Real money no account gets: kept for an operator (issue 11 item 3), never credited.
            assertThat(result.outcome()).isEqualTo(WebhookOutcome.UNCLAIMED);
            assertThat(test.wallet.lookupUser(payer.accessToken())).isEmpty();
            assertThat(test.wallet.unclaimedPayments()).singleElement()
                    .satisfies(p -> assertThat(p.reason()).isEqualTo(UnclaimedPayment.Reason.WRONG_MODE));
        }
    }
}
