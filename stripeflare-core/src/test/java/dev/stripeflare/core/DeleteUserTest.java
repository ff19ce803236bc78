package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.event.UserDeletedEvent;
import dev.stripeflare.event.WalletListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting an account (right to erasure, issue 13): its tokens stop working at once, and the
 * Stripe ids it was paid under stay recorded, so a late redelivery is a duplicate, not a new
 * account. Payloads are real Stripe event JSON, signed for real.
 */
class DeleteUserTest {
    private final List<UserDeletedEvent> heard = new CopyOnWriteArrayList<>();
    private final WebhookHarness harness = new WebhookHarness(builder -> builder.listener(new WalletListener() {
        @Override
        public void onUserDeleted(UserDeletedEvent event) {
            heard.add(event);
        }
    }));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        assertThat(harness.deliver(checkoutCompleted(ada, 1).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        return harness.user(ada).userId();
    }

    @Test
    void itsTokensStopWorkingAtOnce() {
        long id = paidAccount();

        assertThat(harness.wallet.deleteUser(id)).isTrue();

        Session again = harness.wallet.session(ada.accessToken());
        assertThat(again.registered()).isFalse();
        assertThat(again.user()).isEmpty();
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
        assertThat(harness.wallet.charge(ada.accessToken(), 1)).isEqualTo(ChargeResult.notRegistered());
        assertThat(harness.wallet.ledger(ada.accessToken())).isEmpty();
        assertThatThrownBy(() -> harness.wallet.rotateToken(ada.accessToken())).isInstanceOf(UnknownTokenException.class);
        assertThatThrownBy(() -> harness.wallet.chargeUser(id, 1)).isInstanceOf(UnknownUserException.class);
        assertThat(harness.wallet.findUser(id)).isEmpty();
        assertThat(harness.wallet.ledger(id)).isEmpty();
        assertThat(heard).containsExactly(new UserDeletedEvent(id, TestWallets.NOW));
    }

    @Test
    void deletingTwiceOrAnUnknownIdAnswersFalseAndIsHeardOnce() {
        long id = paidAccount();

        assertThat(harness.wallet.deleteUser(id)).isTrue();
        assertThat(harness.wallet.deleteUser(id)).isFalse();
        assertThat(harness.wallet.deleteUser(id + 1)).isFalse();
        assertThat(heard).hasSize(1);
    }

    @Test
    void aLateRedeliveryOfItsPaymentIsADuplicateNotANewAccount() {
        long id = paidAccount();
        harness.wallet.deleteUser(id);

        assertThat(harness.deliver(checkoutCompleted(ada, 1).json()).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        // The same payment's async success, a second event for it, is a duplicate too.
        assertThat(harness.deliver(WebhookHarness.asyncSucceeded(ada, 1).json()).outcome())
                .isEqualTo(WebhookOutcome.DUPLICATE);

        assertThat(harness.wallet.session(ada.accessToken()).registered()).isFalse();
        assertThat(harness.wallet.findUser(id)).isEmpty();
        assertThat(harness.store.findById(id + 1)).as("no account was opened by the redelivery").isEmpty();
    }

    @Test
    void aRefundOfItsPaymentAfterDeletionMovesNothingAndOpensNothing() {
        long id = paidAccount();
        harness.wallet.deleteUser(id);

        harness.deliver(refunded(1).json());

        assertThat(harness.wallet.session(ada.accessToken()).registered()).isFalse();
        assertThat(harness.store.findById(id + 1)).isEmpty();
    }

    @Test
    void aStolenCookieOfADeletedAccountPaysIntoNothingItCanOpen() {
        long id = paidAccount();
        harness.wallet.deleteUser(id);

        // The old cookie's own payment link, paid again: the money is kept, the token stays dead.
        harness.deliver(checkoutCompleted(ada, 2).json());

        assertThat(harness.wallet.session(ada.accessToken()).registered()).isFalse();
        assertThat(harness.wallet.charge(ada.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
    }

    @Test
    void aDeletionRacingChargesAndACreditLeavesNoTokenWorking() throws Exception {
        for (int round = 0; round < 20; round++) {
            Session visitor = harness.visitor();
            harness.deliver(checkoutCompleted(visitor, 100 + round).json());
            long id = harness.user(visitor).userId();
            int payment = 200 + round;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (thread == 0) {
                            return harness.wallet.deleteUser(id);
                        }
                        if (thread == 1) {
                            return harness.deliver(checkoutCompleted(visitor, payment).json()).outcome();
                        }
                        for (int i = 0; i < 10; i++) {
                            ChargeResult result;
                            try {
                                result = thread % 2 == 0 ? harness.wallet.charge(visitor.accessToken(), 7)
                                        : harness.wallet.chargeUser(UserChargeRequest.of(id, 7));
                            } catch (UnknownUserException deleted) {
                                continue;
                            }
                            if (result.charged()) {
                                assertThat(result.balanceCents()).isNotNegative();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
                }
                assertThat(harness.wallet.session(visitor.accessToken()).registered()).isFalse();
                assertThat(harness.wallet.charge(visitor.accessToken(), 1)).isEqualTo(ChargeResult.notRegistered());
                assertThatThrownBy(() -> harness.wallet.chargeUser(id, 1)).isInstanceOf(UnknownUserException.class);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(heard).hasSize(20);
    }
}
