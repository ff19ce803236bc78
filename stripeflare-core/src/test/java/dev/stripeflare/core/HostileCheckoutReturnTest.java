package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.Session;
import dev.stripeflare.User;
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

    /** The victim's account: 500 cents paid with {@code fp_victim} on checkout 1, their browser returned. */
    private Session victimWithAccount() {
        Session victim = harness.visitor();
        harness.stripe.cardPayment(paymentIntent(1), "fp_victim");
        assertThat(harness.deliver(checkoutCompleted(victim, 1).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.returnFrom(victim, 1).outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        return victim;
    }

    /**
     * Issue 9 item 3 again, one step further: the attacker does not send the Payment Link but the
     * Checkout Session it opened in the attacker's own browser ({@code
     * https://checkout.stripe.com/c/pay/cs_live_…}; the session id is in that URL, so the attacker
     * knows it). The attacker presents it with the token the link was opened under before the
     * victim pays (a pending claim); the victim pays with their usual card; the credit, which finds
     * the victim's account by card, attaches the attacker's token to it.
     */
    @Disabled("known limitation of loginByPayment(true), documented in README 'Security model' and ADR 20: the checkout session id is known to whoever opened the Payment Link, so a pre-claim of a checkout URL sent to a victim logs the attacker in; the default (off) is tested below")
    @Test
    void anAttackerWhoOpenedTheCheckoutAndPreClaimedItGetsNothingWhenTheVictimPaysIt() {
        Session victim = victimWithAccount();
        Session attacker = harness.visitor();
        // The attacker opened the link (checkout 2) and returns with its id at once: PENDING.
        harness.returnFrom(attacker, 2);
        // The victim pays checkout 2 from the URL the attacker sent, and is sent back.
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(attacker, 2).json());
        harness.returnFrom(victim, 2);

        assertThat(harness.wallet.lookupUser(attacker.accessToken())).as("the attacker's token opens").isEmpty();
        assertThat(harness.wallet.charge(attacker.accessToken(), 1_000).outcome())
                .isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.balance(victim)).isEqualTo(1_000);
    }

    /** As above, with the attacker's return after the webhook and before the victim's browser. */
    @Disabled("known limitation of loginByPayment(true), documented in README 'Security model' and ADR 20: claiming a checkout URL sent to a victim after the webhook logs the attacker in; the default (off) is tested below")
    @Test
    void anAttackerWhoOpenedTheCheckoutAndClaimsItAfterTheWebhookGetsNothingWhenTheVictimPaysIt() {
        Session victim = victimWithAccount();
        Session attacker = harness.visitor();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        assertThat(harness.deliver(checkoutCompleted(attacker, 2).json()).outcome())
                .isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);

        harness.returnFrom(attacker, 2);
        harness.returnFrom(victim, 2);

        assertThat(harness.wallet.lookupUser(attacker.accessToken())).as("the attacker's token opens").isEmpty();
        assertThat(harness.balance(victim)).isEqualTo(1_000);
    }

    /**
     * Every Payment Link of a Stripe account accepts {@code ?client_reference_id=} in its URL. An
     * attacker appends the reference of their own wallet token to another Payment Link of the same
     * merchant (a product, a donation) and pays for that: they get the product, and the webhook
     * credits the same money to their wallet too. The wallet's checkouts are those of its own link.
     */
    @Test
    void aCheckoutOfAnotherPaymentLinkCarryingTheAttackersReferenceCreditsNothing() {
        try (WebhookHarness shop = new WebhookHarness(builder -> builder.paymentLinkId("plink_1SAcmePaymentLink0001"))) {
            Session attacker = shop.visitor();
            shop.stripe.cardPayment(paymentIntent(1), "fp_attacker");

            WebhookResult result = shop.deliver(checkoutCompleted(attacker, 1)
                    .replace("plink_1SAcmePaymentLink0001", "plink_1SAcmeTShirtShop0001").json());

            assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
            assertThat(shop.wallet.lookupUser(attacker.accessToken())).isEmpty();
            assertThat(shop.recorded.changes()).isZero();
            // The wallet's own link still tops up.
            shop.stripe.cardPayment(paymentIntent(2), "fp_attacker");
            assertThat(shop.deliver(checkoutCompleted(attacker, 2).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        }
    }

    /**
     * With login by payment off (the default), the same attack with a sent checkout page: the
     * victim's payment funds the account of the token the checkout was opened under (as paying
     * someone's invoice would), but no claim, before or after the webhook, opens the victim's
     * account to the attacker.
     */
    @Test
    void withLoginByPaymentOffASentCheckoutPageNeverOpensTheVictimsAccount() {
        try (WebhookHarness off = new WebhookHarness(builder -> builder.loginByPayment(false))) {
            Session victim = off.visitor();
            off.stripe.cardPayment(paymentIntent(1), "fp_victim");
            off.deliver(checkoutCompleted(victim, 1).json());
            off.returnFrom(victim, 1);
            Session attacker = off.visitor();
            Session lateAttacker = off.visitor();

            off.returnFrom(attacker, 2);
            off.stripe.cardPayment(paymentIntent(2), "fp_victim");
            off.stripe.cardPayment(paymentIntent(3), "fp_victim");
            WebhookResult paid = off.deliver(checkoutCompleted(attacker, 2).json());
            off.deliver(checkoutCompleted(lateAttacker, 3).json());
            off.returnFrom(lateAttacker, 3);
            off.returnFrom(victim, 2);

            long victimAccount = off.user(victim).userId();
            assertThat(paid.outcome()).isEqualTo(WebhookOutcome.CREDITED);
            assertThat(off.user(attacker).userId()).isNotEqualTo(victimAccount);
            assertThat(off.user(lateAttacker).userId()).isNotEqualTo(victimAccount);
            assertThat(off.balance(victim)).isEqualTo(500);
            assertThat(off.stripe.requests()).as("no payer lookups with login by payment off").isEmpty();
        }
    }

    /** With login by payment off (the default) a checkout return writes nothing at all. */
    @Test
    void withLoginByPaymentOffReturnsWithRandomCheckoutIdsWriteNothing() {
        try (WebhookHarness off = new WebhookHarness(builder -> builder.loginByPayment(false))) {
            Session visitor = off.visitor();
            for (int i = 0; i < 1_000; i++) {
                assertThat(off.wallet.completeCheckout(off.visitor().accessToken(), "cs_test_random_" + i).outcome())
                        .isEqualTo(CheckoutOutcome.PENDING);
            }
            assertThat(off.recorded.changes()).isZero();

            off.deliver(checkoutCompleted(visitor, 1).json());
            CheckoutResult returned = off.returnFrom(visitor, 1);
            assertThat(returned.outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
            assertThat(returned.user()).map(User::balanceCents).hasValue(500L);
        }
    }

    @Disabled("known limitation of loginByPayment(true) (README, Security model): a stranger stores one pending checkout claim per random cs_ id, without bound (kept for the pending window, forever in memory)")
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
