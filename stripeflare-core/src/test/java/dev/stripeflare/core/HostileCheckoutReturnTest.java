package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 9's checkout claims, as a stranger who never paid would attack
 * {@code Wallet.completeCheckout}: with tokens the wallet never minted, and with as many random
 * {@code cs_} ids as they like.
 */
class HostileCheckoutReturnTest {
    private final WebhookHarness harness = new WebhookHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** A token of the current shape whose MAC does not verify: the last character is changed. */
    private String forged() {
        String minted = harness.visitor().accessToken();
        char last = minted.charAt(minted.length() - 1);
        return minted.substring(0, minted.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    @Test
    void aForgedTokenIsRefusedWithoutWritingAPendingClaim() {
        long before = harness.recorded.changes();

        assertThat(harness.wallet.completeCheckout(forged(), "cs_test_forged").outcome())
                .isEqualTo(CheckoutOutcome.REFUSED);

        assertThat(harness.recorded.changes()).isEqualTo(before);
    }

    @Disabled("defect: a stranger stores one pending checkout claim per random cs_ id, without bound (kept for the pending window, forever in memory)")
    @Test
    void aStrangerCannotStoreUnboundedPendingClaimsWithRandomCheckoutIds() {
        int attempts = 5_000;
        long before = harness.recorded.changes();
        for (int i = 0; i < attempts; i++) {
            // A fresh minted token per attempt, as a stranger gets one on every first GET.
            harness.wallet.completeCheckout(harness.visitor().accessToken(), "cs_test_random_" + i);
        }
        assertThat(harness.recorded.changes() - before).isLessThan(attempts);
    }

    @Disabled("defect: after deleteUser, the browser keeps its revoked sf2_ token (session() does not replace it) and its next payment lands in a new account nothing can open")
    @Test
    void aPaymentFromADeletedAccountsBrowserLandsWhereThatBrowserCanSpendIt() {
        Session browser = harness.visitor();
        harness.stripe.cardPayment(paymentIntent(1), "fp_deleted");
        WebhookResult first = harness.deliver(checkoutCompleted(browser, 1).json());
        assertThat(first.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.store.deleteUser(first.userId().orElseThrow())).isTrue();

        // The same browser comes back, is offered a payment link, and pays again.
        Session again = harness.wallet.session(browser.accessToken());
        harness.stripe.cardPayment(paymentIntent(2), "fp_deleted");
        WebhookResult second = harness.deliver(checkoutCompleted(again, 2).json());
        assertThat(second.outcome()).isIn(WebhookOutcome.CREDITED, WebhookOutcome.PAYER_IDENTIFIED,
                WebhookOutcome.LOGIN_BY_PAYMENT);
        harness.returnFrom(again, 2);

        // Whatever the token the browser now holds, the 2nd payment must be spendable from it.
        assertThat(harness.wallet.lookupUser(again.accessToken())).isPresent();
    }
}
