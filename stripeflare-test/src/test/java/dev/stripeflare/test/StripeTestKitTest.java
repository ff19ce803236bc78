package dev.stripeflare.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
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

/** The kit's events are what Stripe's library and a real wallet accept, and its API answers the wallet. */
class StripeTestKitTest {
    private final StripeTestKit stripe = StripeTestKit.start();
    private final Wallet wallet = stripe.wallet();

    @AfterEach
    void close() {
        wallet.close();
        stripe.close();
    }

    @Test
    void aTopUpCreditsTheVisitorOnce() {
        Session visitor = wallet.session(null);
        TestPayment payment = stripe.pay(visitor, 500);
        SignedEvent event = stripe.checkoutCompleted(payment);

        assertThat(event.deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(event.deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(balance(visitor)).isEqualTo(500);
        assertThat(wallet.charge(visitor.accessToken(), 25).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(balance(visitor)).isEqualTo(475);
    }

    @Test
    void stripeJavaVerifiesTheSignatureAndReadsEveryEvent() throws Exception {
        Session visitor = wallet.session(null);
        TestPayment payment = stripe.pay(visitor.clientReferenceId(), 500, Payer.card("Zoë \"Z\" <Ö>", "zoe@example.com",
                "4000 0566 5566 5556"));
        for (SignedEvent event : List.of(stripe.checkoutCompleted(payment), stripe.asyncPaymentSucceeded(payment),
                stripe.refund(payment, 100), stripe.dispute(payment, 400))) {
            Event parsed = Webhook.constructEvent(event.payload(), event.signature(), stripe.signingSecret());
            assertThat(parsed.getType()).isEqualTo(event.type());
            assertThat(parsed.getId()).isEqualTo(event.eventId());
            Object object = parsed.getDataObjectDeserializer().getObject().orElseThrow();
            if (object instanceof com.stripe.model.checkout.Session session) {
                assertThat(session.getClientReferenceId()).isEqualTo(visitor.clientReferenceId());
                assertThat(session.getAmountTotal()).isEqualTo(500);
                assertThat(session.getCustomerDetails().getName()).isEqualTo("Zoë \"Z\" <Ö>");
                assertThat(session.getPaymentIntent()).isEqualTo(payment.paymentIntentId());
            } else if (object instanceof Charge charge) {
                assertThat(charge.getAmountRefunded()).isEqualTo(100);
                assertThat(charge.getRefunds().getData()).hasSize(1);
            } else {
                assertThat(((Dispute) object).getAmount()).isEqualTo(400);
            }
        }
    }

    @Test
    void anotherSecretDoesNotVerify() {
        SignedEvent event = stripe.checkoutCompleted(stripe.pay(wallet.session(null), 500));
        assertThatThrownBy(() -> Webhook.constructEvent(event.payload(), event.signature(), "whsec_other"))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void refundsAndDisputesTakeBackWhatTheyReturn() {
        Session visitor = wallet.session(null);
        TestPayment payment = stripe.topUp(wallet, visitor, 1_000);

        assertThat(stripe.refund(payment, 200).deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(stripe.refund(payment, 300).deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(balance(visitor)).isEqualTo(500);
        assertThat(stripe.dispute(payment, 400).deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(balance(visitor)).isEqualTo(100);
        assertThat(wallet.ledger(visitor.accessToken())).extracting(e -> e.kind())
                .containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.REFUND, LedgerEntryKind.REFUND,
                        LedgerEntryKind.DISPUTE);
    }

    @Test
    void aDelayedPaymentIsCreditedWhenItSettles() {
        Session visitor = wallet.session(null);
        TestPayment payment = stripe.pay(visitor, 700);
        assertThat(stripe.checkoutCompletedUnpaid(payment).deliverTo(wallet).httpStatus()).isEqualTo(200);
        assertThat(balance(visitor)).isZero();
        assertThat(stripe.asyncPaymentSucceeded(payment).deliverTo(wallet).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(balance(visitor)).isEqualTo(700);
    }

    @Test
    void theSameCardLogsASecondDeviceInWithLoginByPayment() {
        try (Wallet joined = stripe.walletBuilder(new InMemoryUserStore()).loginByPayment(true).build()) {
            Session laptop = joined.session(null);
            TestPayment first = stripe.pay(laptop.clientReferenceId(), 500, Payer.ADA);
            stripe.checkoutCompleted(first).deliverTo(joined);
            joined.completeCheckout(laptop.accessToken(), first.checkoutSessionId());
            Session phone = joined.session(null);
            TestPayment second = stripe.pay(phone.clientReferenceId(), 200, Payer.ADA);
            stripe.checkoutCompleted(second).deliverTo(joined);

            assertThat(joined.completeCheckout(phone.accessToken(), second.checkoutSessionId()).outcome())
                    .isEqualTo(CheckoutOutcome.LINKED);
            assertThat(joined.lookupUser(phone.accessToken()).orElseThrow().balanceCents()).isEqualTo(700);
            assertThat(stripe.apiRequests()).anyMatch(request -> request.startsWith(
                    "GET /v1/payment_intents/" + second.paymentIntentId() + "?expand[0]=latest_charge"));
        }
    }

    @Test
    void aFailingStripeApiAnswers503AndTheRedeliveryCredits() {
        try (Wallet joined = stripe.walletBuilder(new InMemoryUserStore()).loginByPayment(true).build()) {
            Session visitor = joined.session(null);
            SignedEvent event = stripe.checkoutCompleted(stripe.pay(visitor, 500));
            stripe.failNextApiRequests(1);
            assertThat(event.deliverTo(joined).httpStatus()).isEqualTo(503);
            assertThat(joined.lookupUser(visitor.accessToken())).isEmpty();
            assertThat(event.deliverTo(joined).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        }
    }

    @Test
    void aWalletWithAnotherApiKeyIsRefusedByTheLocalApi() {
        try (Wallet wrongKey = stripe.walletBuilder(new InMemoryUserStore()).loginByPayment(true)
                .stripeSecretKey("sk_test_someone_else").build()) {
            Session visitor = wrongKey.session(null);
            WebhookResult result = stripe.checkoutCompleted(stripe.pay(visitor, 500)).deliverTo(wrongKey);
            assertThat(result.httpStatus()).isEqualTo(503);
        }
    }

    @Test
    void abuseIsRefusedByTheKitAndNothingIsSent() {
        TestPayment payment = stripe.topUp(wallet, wallet.session(null), 500);
        assertThatThrownBy(() -> stripe.refund(payment, 501)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stripe.refund(payment, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stripe.dispute(payment, 501)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stripe.pay(wallet.session(null), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payer.card("A", "a@example.com", "42")).isInstanceOf(IllegalArgumentException.class);
        try (StripeTestKit other = StripeTestKit.start()) {
            assertThatThrownBy(() -> other.refund(payment, 100)).isInstanceOf(IllegalArgumentException.class);
        }
        // A tampered payload fails the wallet's signature check and changes nothing.
        Session visitor = wallet.session(null);
        SignedEvent event = stripe.checkoutCompleted(stripe.pay(visitor, 500));
        assertThat(wallet.handleWebhookPayload(event.payload().replace("\"amount_total\": 500", "\"amount_total\": 50000"),
                event.signature()).httpStatus()).isEqualTo(400);
        assertThat(wallet.lookupUser(visitor.accessToken())).isEmpty();
    }

    @Test
    void eightThreadsToppingUpAndRefundingAtOnceLoseNothing() throws Exception {
        Session visitor = wallet.session(null);
        TestPayment first = stripe.topUp(wallet, visitor, 10_000);
        Session account = visitor;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 10; i++) {
                    if (thread % 2 == 0) {
                        stripe.checkoutCompleted(stripe.pay(account, 100)).deliverTo(wallet);
                    } else {
                        stripe.refund(first, 10).deliverTo(wallet);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertThat(balance(visitor)).isEqualTo(10_000 + 4 * 10 * 100 - 4 * 10 * 10);
        assertThat(wallet.ledger(visitor.accessToken()).stream().mapToLong(e -> e.amountCents()).sum())
                .isEqualTo(balance(visitor));
    }

    private long balance(Session session) {
        return wallet.lookupUser(session.accessToken()).map(User::balanceCents).orElse(0L);
    }
}
