package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.User;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 4, "a rotated-away token comes back": paying on a revoked token's old payment
 * link re-attached the revoked (possibly leaked) token, or, with another card, created an
 * account behind a token its owner no longer has. The store keeps revoked token hashes as
 * tombstones; the payment reaches the account the token used to open
 * ({@link WebhookOutcome#REVOKED_TOKEN}) and the token stays dead, through webhook and return.
 */
class RevokedTokenPaymentTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session laptop = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_owner");
        return harness.deliver(checkoutCompleted(laptop, 1).json()).userId().orElseThrow();
    }

    private void assertRevoked(String token) {
        assertThat(harness.wallet.lookupUser(token)).isEmpty();
        assertThat(harness.wallet.charge(token, 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
    }

    @Test
    void aPaymentOnARotatedAwayTokensLinkWithAnotherCardCreditsTheOldAccountAndRevivesNothing() {
        long account = paidAccount();
        String rotated = harness.wallet.rotateToken(laptop.accessToken());
        harness.stripe.cardPayment(paymentIntent(2), "fp_someone_elses_card");

        WebhookResult paid = harness.deliver(checkoutCompleted(laptop, 2).json());

        assertThat(paid.httpStatus()).isEqualTo(200);
        assertThat(paid.outcome()).isEqualTo(WebhookOutcome.REVOKED_TOKEN);
        assertThat(paid.userId()).hasValue(account);
        assertRevoked(laptop.accessToken());
        assertThat(harness.wallet.lookupUser(rotated)).map(User::balanceCents).hasValue(1000L);
        assertThat(harness.wallet.completeCheckout(laptop.accessToken(), WebhookHarness.sessionId(2)).outcome())
                .isEqualTo(CheckoutOutcome.REFUSED);
        assertRevoked(laptop.accessToken());
        assertThat(harness.wallet.ledger(rotated).stream().mapToLong(LedgerEntry::amountCents).sum()).isEqualTo(1000);
    }

    @Test
    void aPaymentOnARotatedAwayTokensLinkWithTheOwnersCardAlsoLeavesTheTokenRevoked() {
        long account = paidAccount();
        String rotated = harness.wallet.rotateToken(laptop.accessToken());
        harness.stripe.cardPayment(paymentIntent(2), "fp_owner");

        assertThat(harness.wallet.completeCheckout(laptop.accessToken(), WebhookHarness.sessionId(2)).outcome())
                .as("a return before the webhook").isIn(CheckoutOutcome.PENDING, CheckoutOutcome.REFUSED);
        WebhookResult paid = harness.deliver(checkoutCompleted(laptop, 2).json());

        assertThat(paid.outcome()).isEqualTo(WebhookOutcome.REVOKED_TOKEN);
        assertThat(paid.userId()).hasValue(account);
        assertRevoked(laptop.accessToken());
        assertThat(harness.wallet.lookupUser(rotated)).map(User::balanceCents).hasValue(1000L);
        assertThat(harness.wallet.completeCheckout(laptop.accessToken(), WebhookHarness.sessionId(2)).outcome())
                .isEqualTo(CheckoutOutcome.REFUSED);
        assertRevoked(laptop.accessToken());
    }

    @Test
    void aRedeliveredPaymentOnARevokedLinkIsADuplicate() {
        paidAccount();
        harness.wallet.rotateToken(laptop.accessToken());
        String payload = checkoutCompleted(laptop, 2).json();

        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.REVOKED_TOKEN);
        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
    }

    @Test
    void aPaymentOnADeletedAccountsTokenLinkNeverOpensAnAccountForThatToken() {
        long account = paidAccount();
        assertThat(harness.store.deleteUser(account)).isTrue();
        harness.stripe.cardPayment(paymentIntent(2), "fp_other");

        WebhookResult paid = harness.deliver(checkoutCompleted(laptop, 2).json());

        assertThat(paid.httpStatus()).isEqualTo(200);
        assertThat(paid.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(paid.userId().orElseThrow()).as("a new account nobody's token opens").isNotEqualTo(account);
        assertRevoked(laptop.accessToken());
        assertThat(harness.wallet.completeCheckout(laptop.accessToken(), WebhookHarness.sessionId(2)).outcome())
                .isEqualTo(CheckoutOutcome.REFUSED);
        assertRevoked(laptop.accessToken());
    }

    /**
     * Rotations of the laptop's token race payments on its old link: 4 threads rotate (exactly one
     * wins), 4 deliver the same payment. Credited once, to the account; the old token opens
     * nothing afterwards, whichever came first.
     */
    @Test
    void rotationsRacingAPaymentOnTheOldLinkCreditTheAccountOnceAndKeepTheOldTokenDead() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                Session device = harness.visitor();
                int first = 1000 + 2 * round;
                harness.stripe.cardPayment(paymentIntent(first), "fp_round_" + round);
                long account = harness.deliver(checkoutCompleted(device, first).json()).userId().orElseThrow();
                String payload = checkoutCompleted(device, first + 1).json();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Object>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    boolean rotates = t % 2 == 0;
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (rotates) {
                            try {
                                return harness.wallet.rotateToken(device.accessToken());
                            } catch (UnknownTokenException lost) {
                                return lost;
                            }
                        }
                        return harness.deliver(payload);
                    }));
                }
                start.countDown();
                List<String> newTokens = new ArrayList<>();
                int credited = 0;
                for (Future<Object> future : futures) {
                    Object result = future.get(30, TimeUnit.SECONDS);
                    if (result instanceof String token) {
                        newTokens.add(token);
                    } else if (result instanceof WebhookResult webhook) {
                        assertThat(webhook.httpStatus()).isEqualTo(200);
                        assertThat(webhook.outcome()).isIn(WebhookOutcome.CREDITED, WebhookOutcome.REVOKED_TOKEN,
                                WebhookOutcome.DUPLICATE);
                        if (webhook.outcome() != WebhookOutcome.DUPLICATE) {
                            credited++;
                            assertThat(webhook.userId()).hasValue(account);
                        }
                    }
                }
                assertThat(newTokens).as("round %d: exactly one rotation wins", round).hasSize(1);
                assertThat(credited).as("round %d: credited once", round).isEqualTo(1);
                assertRevoked(device.accessToken());
                User after = harness.wallet.lookupUser(newTokens.get(0)).orElseThrow();
                assertThat(after.userId()).isEqualTo(account);
                assertThat(after.balanceCents()).isEqualTo(1000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
