package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Allowance;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.event.GrantExpiredEvent;
import dev.stripeflare.event.WalletListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every expiry of a grant raises exactly one {@code onGrantExpired} event, wherever it was applied
 * (issue 13, ADR 33 addendum): inside a charge through a token or by user id, by a read, or by the
 * sweep — including 8 threads charging, reading and sweeping at once after the expiry.
 */
class GrantExpiryEventTest {

    private final List<GrantExpiredEvent> expired = new CopyOnWriteArrayList<>();
    private final WebhookHarness harness = new WebhookHarness(builder -> builder.listener(new WalletListener() {
        @Override
        public void onGrantExpired(GrantExpiredEvent event) {
            expired.add(event);
        }
    }));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccountWithGrant(String operationId, long cents, Duration lifetime) {
        harness.deliver(checkoutCompleted(ada, 1).json()); // 500 cents
        long id = harness.user(ada).userId();
        harness.wallet.grant(GrantRequest.expiring(id, cents, "promo", operationId, harness.clock.instant().plus(lifetime)));
        return id;
    }

    @Test
    void aGrantThatExpiresInsideAChargeThroughATokenIsHeardOnce() {
        paidAccountWithGrant("g1", 50, Duration.ofHours(1));
        harness.clock.advance(Duration.ofHours(2));

        harness.wallet.charge(ada.accessToken(), 5);
        harness.wallet.lookupUser(ada.accessToken());
        harness.wallet.expireGrants();
        harness.wallet.charge(ada.accessToken(), 5);

        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.operationId()).isEqualTo("g1");
            assertThat(e.endedCents()).isEqualTo(50);
            assertThat(e.voided()).isFalse();
            assertThat(e.balanceAfterCents()).isEqualTo(500);
        });
    }

    @Test
    void aGrantThatExpiresInsideAChargeByUserIdIsHeardOnce() {
        long id = paidAccountWithGrant("g1", 50, Duration.ofHours(1));
        harness.clock.advance(Duration.ofHours(2));

        harness.wallet.chargeUser(UserChargeRequest.of(id, 5).withIdempotencyKey("job-1"));
        harness.wallet.chargeUser(UserChargeRequest.of(id, 5).withIdempotencyKey("job-1"));
        harness.wallet.grants(id);

        assertThat(expired).extracting(GrantExpiredEvent::operationId).containsExactly("g1");
    }

    @Test
    void aDeclinedChargeThatExpiredAGrantIsHeardOnceToo() {
        paidAccountWithGrant("g1", 50, Duration.ofHours(1));
        harness.clock.advance(Duration.ofHours(2));

        harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 10_000).withIdempotencyKey("big"));
        harness.wallet.expireGrants();

        assertThat(expired).extracting(GrantExpiredEvent::operationId).containsExactly("g1");
        assertThat(harness.ledger(ada)).filteredOn(e -> e.kind() == LedgerEntryKind.GRANT_EXPIRED).hasSize(1);
    }

    @Test
    void yesterdaysAllowanceExpiringInsideTodaysFirstChargeIsHeard() {
        try (WebhookHarness allowing = new WebhookHarness(builder -> builder
                .allowance(new Allowance(10, Allowance.Period.DAY)).allowanceForVisitors(true)
                .listener(new WalletListener() {
                    @Override
                    public void onGrantExpired(GrantExpiredEvent event) {
                        expired.add(event);
                    }
                }))) {
            Session visitor = allowing.visitor();
            allowing.wallet.charge(visitor.accessToken(), 4);
            allowing.clock.advance(Duration.ofDays(1));

            allowing.wallet.charge(visitor.accessToken(), 1);

            assertThat(expired).singleElement().satisfies(e -> {
                assertThat(e.operationId()).endsWith(":day:2026-11-29");
                assertThat(e.endedCents()).isEqualTo(6);
            });
        }
    }

    @Test
    void eightThreadsChargingReadingAndSweepingAfterExpiriesHearEachOnce() throws Exception {
        harness.deliver(checkoutCompleted(ada, 1).json());
        long id = harness.user(ada).userId();
        for (int round = 0; round < 10; round++) {
            for (int g = 0; g < 3; g++) {
                harness.wallet.grant(GrantRequest.expiring(id, 10 + g, "promo", "r" + round + "-g" + g,
                        harness.clock.instant().plus(Duration.ofMinutes(1 + g))));
            }
            harness.clock.advance(Duration.ofMinutes(10));
            int r = round;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int kind = i % 4;
                    int n = i;
                    work.add(pool.submit(() -> {
                        start.await();
                        switch (kind) {
                            case 0 -> harness.wallet.charge(ada.accessToken(), 1);
                            case 1 -> harness.wallet.chargeUser(UserChargeRequest.of(id, 1)
                                    .withIdempotencyKey("k-" + r + "-" + n));
                            case 2 -> harness.wallet.lookupUser(ada.accessToken());
                            default -> harness.wallet.expireGrants();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        Map<String, Long> heard = expired.stream()
                .collect(Collectors.groupingBy(GrantExpiredEvent::operationId, Collectors.counting()));
        assertThat(heard).hasSize(30).allSatisfy((op, count) -> assertThat(count).as(op).isEqualTo(1L));
    }
}
