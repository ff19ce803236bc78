package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Session;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.event.AdjustedEvent;
import dev.stripeflare.event.LowBalanceEvent;
import dev.stripeflare.event.WalletListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Low-balance events (issue 13, ADR 32): one per downward crossing of a configured threshold,
 * derived from the store's atomic result, so exactly one even when 8 threads cross at once;
 * again after a top-up; delivered after the change committed; a throwing listener changes no
 * money.
 */
class LowBalanceEventTest {
    private final List<LowBalanceEvent> heard = new CopyOnWriteArrayList<>();
    private volatile Consumer<LowBalanceEvent> alsoOnLowBalance = event -> { };
    private volatile Consumer<AdjustedEvent> alsoOnAdjusted = event -> { };
    private final WebhookHarness harness = new WebhookHarness(builder -> builder
            .lowBalanceThresholds(300, 100, 300)
            .listener(new WalletListener() {
                @Override
                public void onLowBalance(LowBalanceEvent event) {
                    heard.add(event);
                    alsoOnLowBalance.accept(event);
                }

                @Override
                public void onAdjusted(AdjustedEvent event) {
                    alsoOnAdjusted.accept(event);
                }
            }));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        return harness.user(ada).userId();
    }

    @Test
    void aChargeThatCrossesAThresholdIsHeardOnceWithItsBalances() {
        long id = paidAccount();

        harness.wallet.charge(ada.accessToken(), 150);   // 500 -> 350: nothing crossed
        assertThat(heard).isEmpty();
        harness.wallet.charge(ada.accessToken(), 100);   // 350 -> 250: crosses 300
        harness.wallet.charge(ada.accessToken(), 10);    // 250 -> 240: nothing
        harness.wallet.chargeUser(id, 140);              // 240 -> 100: crosses 100 (at it counts)
        harness.wallet.chargeUser(id, 50);               // 100 -> 50: nothing, already below

        assertThat(heard).containsExactly(
                new LowBalanceEvent(id, 300, 350, 250, TestWallets.NOW),
                new LowBalanceEvent(id, 100, 240, 100, TestWallets.NOW));
    }

    @Test
    void oneChargeAcrossTwoThresholdsIsHeardForEach() {
        long id = paidAccount();

        harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 600).allowingNegativeBalance());

        assertThat(heard).extracting(LowBalanceEvent::thresholdCents).containsExactly(100L, 300L);
        assertThat(heard).allSatisfy(event -> {
            assertThat(event.userId()).isEqualTo(id);
            assertThat(event.balanceAfterCents()).isEqualTo(-100);
        });
    }

    @Test
    void aTopUpAboveTheThresholdArmsItAgain() {
        long id = paidAccount();
        harness.wallet.charge(ada.accessToken(), 250);   // 500 -> 250: crosses 300
        harness.wallet.charge(ada.accessToken(), 40);    // 210

        harness.deliver(checkoutCompleted(ada, 2).json()); // 710: a top-up raises nothing
        assertThat(heard).hasSize(1);
        harness.wallet.chargeUser(id, 400);               // 710 -> 310: still above
        harness.wallet.chargeUser(id, 10);                // 310 -> 300: crosses 300 again

        assertThat(heard).extracting(LowBalanceEvent::thresholdCents).containsExactly(300L, 300L);
        assertThat(heard.get(1)).isEqualTo(new LowBalanceEvent(id, 300, 310, 300, TestWallets.NOW));
    }

    @Test
    void aReplayedOrDeclinedChargeRaisesNothing() {
        paidAccount();
        ChargeRequest keyed = ChargeRequest.of(ada.accessToken(), 250).withIdempotencyKey("k1");

        harness.wallet.charge(keyed);
        harness.wallet.charge(keyed);
        harness.wallet.charge(ada.accessToken(), 10_000);

        assertThat(heard).hasSize(1);
    }

    @Test
    void aNegativeAdjustmentThatCrossesIsHeardAPositiveOneNever() {
        long id = paidAccount();

        harness.wallet.adjust(id, 1_000, "goodwill", "adj-1");
        harness.wallet.adjust(id, -1_250, "correction", "adj-2");  // 1500 -> 250: crosses 300
        harness.wallet.adjust(id, -1_250, "correction", "adj-2");  // replay: nothing

        assertThat(heard).containsExactly(new LowBalanceEvent(id, 300, 1_500, 250, TestWallets.NOW));
    }

    @Test
    void eightThreadsCrossingAtOnceRaiseExactlyOneEventPerCrossing() throws Exception {
        long id = paidAccount();
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            int r = round;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 40; i++) {
                            if (thread % 2 == 0) {
                                harness.wallet.charge(ada.accessToken(), 10);
                            } else {
                                harness.wallet.chargeUser(UserChargeRequest.of(id, 10)
                                        .withIdempotencyKey("r" + r + "-t" + thread + "-" + i));
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(harness.balance(ada)).as("round %s drained the account", round).isZero();
            assertThat(heard).as("events after round %s", round).hasSize(2 * (round + 1));
            harness.wallet.adjust(id, 500, "refill for the next round", "refill-" + round);
        }
        assertThat(heard).extracting(LowBalanceEvent::thresholdCents).containsOnly(100L, 300L);
        assertThat(heard).filteredOn(e -> e.thresholdCents() == 300).hasSize(rounds)
                .allSatisfy(e -> assertThat(e.balanceBeforeCents()).isEqualTo(e.balanceAfterCents() + 10));
    }

    @Test
    void aThrowingListenerIsLoggedAndChangesNoMoney() {
        paidAccount();
        alsoOnLowBalance = event -> {
            throw new IllegalStateException("listener bug");
        };

        ChargeResult result = harness.wallet.charge(ada.accessToken(), 250);

        assertThat(result).isEqualTo(ChargeResult.charged(250));
        assertThat(harness.balance(ada)).isEqualTo(250);
        assertThat(heard).hasSize(1);
    }

    @Test
    void eventsAreDeliveredAfterTheStoreStepOutsideItsLocks() {
        long id = paidAccount();
        // Each listener charges the same account from another thread and waits for it: if the
        // event were delivered while the store held that account's lock, that charge would hang.
        List<ChargeResult> fromListener = new CopyOnWriteArrayList<>();
        Consumer<Object> chargeFromAnotherThread = event -> fromListener.add(CompletableFuture
                .supplyAsync(() -> harness.wallet.chargeUser(id, 1))
                .orTimeout(30, TimeUnit.SECONDS).join());
        alsoOnLowBalance = chargeFromAnotherThread::accept;
        alsoOnAdjusted = chargeFromAnotherThread::accept;

        harness.wallet.chargeUser(id, 250);          // 500 -> 250: crosses 300, listener charges 1
        harness.wallet.adjust(id, -150, "fix", "a1"); // 249 -> 99: heard as adjusted and crossing 100

        assertThat(fromListener).hasSize(3).allSatisfy(r -> assertThat(r.charged()).isTrue());
        assertThat(harness.balance(ada)).isEqualTo(500 - 250 - 1 - 150 - 2);
    }
}
