package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Login by payment through the store's atomic identification and the returning browser's claim
 * (issue 9 item 3): money lands in the payer's account, access only for the browser that
 * completed the checkout. The attacks and races are in {@link CheckoutClaimTest}.
 */
class LoginByPaymentTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session laptop = harness.visitor();
    private final Session phone = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void secondDevicePayingWithTheSameCardJoinsTheAccountWhenItsBrowserReturns() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_same_card");
        harness.stripe.cardPayment(paymentIntent(2), "fp_same_card");
        WebhookResult first = harness.deliver(checkoutCompleted(laptop, 1).json());
        harness.returnFrom(laptop, 1);

        WebhookResult second = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(first.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(second.httpStatus()).isEqualTo(200);
        assertThat(second.outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);
        assertThat(second.userId()).isEqualTo(first.userId());
        assertThat(harness.wallet.lookupUser(phone.accessToken())).as("no access before the browser returns").isEmpty();
        assertThat(harness.balance(laptop)).isEqualTo(1000);

        CheckoutResult returned = harness.returnFrom(phone, 2);

        assertThat(returned.outcome()).isEqualTo(CheckoutOutcome.LINKED);
        assertThat(returned.user()).map(User::userId).hasValue(first.userId().orElseThrow());
        assertThat(harness.user(phone).userId()).isEqualTo(harness.user(laptop).userId());
        assertThat(harness.balance(phone)).isEqualTo(1000);
    }

    @Test
    void secondDevicePayingWithLinkUnderTheSameVerifiedEmailJoinsTheAccount() {
        harness.stripe.linkPayment(paymentIntent(1));
        harness.stripe.linkPayment(paymentIntent(2));
        harness.deliver(checkoutCompleted(laptop, 1).json());
        assertThat(harness.user(laptop).verifiedEmail()).as("recorded when its browser returns").isEmpty();
        harness.returnFrom(laptop, 1);
        assertThat(harness.user(laptop).verifiedEmail()).contains("ada@example.com");
        assertThat(harness.user(laptop).cardFingerprint()).isEmpty();

        WebhookResult second = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(second.outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.LINKED);
        assertThat(harness.user(phone).userId()).isEqualTo(harness.user(laptop).userId());
        assertThat(harness.balance(phone)).isEqualTo(1000);
    }

    @Test
    void linkPaymentJoinsTheAccountOfItsVerifiedEmailOnly() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_card_of_account_one");
        harness.stripe.linkPayment(paymentIntent(2));
        harness.deliver(checkoutCompleted(laptop, 1).replace("ada@example.com", "bob@example.com").json());
        harness.returnFrom(laptop, 1);
        harness.deliver(checkoutCompleted(phone, 2).json());
        harness.returnFrom(phone, 2);
        Session tablet = harness.visitor();
        harness.stripe.linkPayment(paymentIntent(3));

        WebhookResult third = harness.deliver(checkoutCompleted(tablet, 3).json());

        assertThat(third.outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);
        assertThat(harness.returnFrom(tablet, 3).outcome()).isEqualTo(CheckoutOutcome.LINKED);
        assertThat(harness.user(tablet).userId()).isEqualTo(harness.user(phone).userId())
                .isNotEqualTo(harness.user(laptop).userId());
    }

    @Test
    void sameEmailWithoutLinkVerificationDoesNotOpenTheAccount() {
        harness.stripe.linkPayment(paymentIntent(1));
        harness.stripe.cardPayment(paymentIntent(2), "fp_attackers_card");
        harness.deliver(checkoutCompleted(laptop, 1).json());

        WebhookResult impostor = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(impostor.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.user(phone).userId()).isNotEqualTo(harness.user(laptop).userId());
        assertThat(harness.returnFrom(phone, 2).outcome()).as("its own new account").isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        assertThat(harness.balance(laptop)).isEqualTo(500);
    }

    @Test
    void differentCardCreatesASeparateAccount() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_card_one");
        harness.stripe.cardPayment(paymentIntent(2), "fp_card_two");
        harness.deliver(checkoutCompleted(laptop, 1).json());

        WebhookResult second = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(second.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.user(phone).userId()).isNotEqualTo(harness.user(laptop).userId());
    }

    @Test
    void rotatingOneDevicesTokenLeavesTheOtherDeviceWorking() {
        harness.deliver(checkoutCompleted(laptop, 1).json());
        harness.returnFrom(laptop, 1);
        harness.deliver(checkoutCompleted(phone, 2).json());
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.LINKED);
        long account = harness.user(laptop).userId();

        String newLaptopToken = harness.wallet.rotateToken(laptop.accessToken());

        assertThat(harness.wallet.lookupUser(laptop.accessToken())).isEmpty();
        assertThat(harness.wallet.lookupUser(newLaptopToken)).map(User::userId).hasValue(account);
        assertThat(harness.user(phone).userId()).isEqualTo(account);
        assertThat(harness.user(phone).balanceCents()).isEqualTo(1000);
        assertThat(harness.deliver(checkoutCompleted(phone, 3).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.wallet.lookupUser(newLaptopToken)).map(User::balanceCents).hasValue(1500L);
    }

    @Test
    void stripeServerErrorAsksForRedeliveryAndWritesNothingThenTheRetryCredits() {
        harness.stripe.failNext(FakeStripeApi.Failure.SERVER_ERROR);
        String payload = checkoutCompleted(laptop, 1).json();

        WebhookResult failed = harness.deliver(payload);

        assertThat(failed.httpStatus()).isEqualTo(503);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
        assertThat(failed.message()).contains("500").doesNotContain("sk_test");
        assertThat(harness.wallet.lookupUser(laptop.accessToken())).isEmpty();
        assertThat(harness.stripe.requests()).as("no retries inside the webhook").hasSize(1);

        WebhookResult retried = harness.deliver(payload);

        assertThat(retried.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(laptop)).isEqualTo(500);
    }

    @Test
    void stripeTimeoutAsksForRedeliveryAndWritesNothing() {
        harness.stripe.failNext(FakeStripeApi.Failure.SLOW);
        String payload = checkoutCompleted(laptop, 1).json();
        long started = System.nanoTime();

        WebhookResult failed = harness.deliver(payload);

        assertThat(System.nanoTime() - started).as("bounded by the configured timeout")
                .isLessThan(WebhookHarness.STRIPE_TIMEOUT.multipliedBy(4).toNanos());
        assertThat(failed.httpStatus()).isEqualTo(503);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
        assertThat(harness.wallet.lookupUser(laptop.accessToken())).isEmpty();
        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void malformedStripeResponseAsksForRedeliveryAndWritesNothing() {
        harness.stripe.failNext(FakeStripeApi.Failure.MALFORMED_BODY);

        WebhookResult failed = harness.deliver(checkoutCompleted(laptop, 1).json());

        assertThat(failed.httpStatus()).isEqualTo(503);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
        assertThat(harness.wallet.lookupUser(laptop.accessToken())).isEmpty();
    }

    @Test
    void unreachableStripeAsksForRedeliveryAndWritesNothing() {
        harness.stripe.close();

        WebhookResult failed = harness.deliver(checkoutCompleted(laptop, 1).json());

        assertThat(failed.httpStatus()).isEqualTo(503);
        assertThat(failed.outcome()).isEqualTo(WebhookOutcome.RETRY_LATER);
        assertThat(harness.wallet.lookupUser(laptop.accessToken())).isEmpty();
    }
}
