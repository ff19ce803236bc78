package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention through the wallet (ADR 30): events older than the operation retention are refused
 * (so a pruned operation id is never applied again), maintenance and lazy batches prune, expired
 * deferred reversals are reported, and bad retention settings are refused at build time.
 */
class RetentionTest {

    private final WebhookHarness harness = new WebhookHarness(b -> b.retention(Retention.defaults()));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    /** The fixture's event, created at {@code created} instead of its own time (November 2025). */
    private static String createdAt(String json, Instant created) {
        return json.replaceFirst("\n  \"created\": [0-9]+,", "\n  \"created\": " + created.getEpochSecond() + ",");
    }

    @Test
    void anEventOlderThanTheOperationRetentionLessItsMarginIsIgnoredAndChangesNothing() {
        String stale = createdAt(checkoutCompleted(ada, 1).json(), harness.clock.instant().minus(Duration.ofDays(34)));

        WebhookResult result = harness.deliver(stale);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(harness.recorded.changes()).isZero();
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    @Test
    void anEventCreatedAtAnyLongIsNeverAnInternalError() {
        String farFuture = checkoutCompleted(ada, 1).json().replaceFirst("\n  \"created\": [0-9]+,",
                "\n  \"created\": " + Long.MAX_VALUE + ",");
        String farPast = checkoutCompleted(ada, 2).json().replaceFirst("\n  \"created\": [0-9]+,",
                "\n  \"created\": " + Long.MIN_VALUE + ",");

        assertThat(harness.deliver(farFuture).httpStatus()).isLessThan(500);
        assertThat(harness.deliver(farPast).outcome()).isEqualTo(WebhookOutcome.IGNORED);
    }

    @Test
    void anEventWithinTheRetentionIsApplied() {
        String recent = createdAt(checkoutCompleted(ada, 1).json(), harness.clock.instant().minus(Duration.ofDays(32)));

        assertThat(harness.deliver(recent).outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void aReplayOfACreditWhoseOperationIdWasPrunedIsRefusedNotCreditedAgain() {
        String payload = createdAt(checkoutCompleted(ada, 1).json(), harness.clock.instant());
        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        long balance = harness.balance(ada);
        harness.clock.advance(Duration.ofDays(3));
        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.DUPLICATE);

        harness.clock.advance(Duration.ofDays(33));
        MaintenanceReport report = harness.wallet.maintain();
        WebhookResult replay = harness.deliver(payload);

        assertThat(report.operations()).isEqualTo(1);
        assertThat(replay.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.balance(ada)).isEqualTo(balance);
    }

    @Test
    void aDeferredReversalWhosePaymentNeverCameExpiresAndIsReported() {
        String refund = createdAt(refunded(7).json(), harness.clock.instant());
        assertThat(harness.deliver(refund).outcome()).isEqualTo(WebhookOutcome.DEFERRED);

        harness.clock.advance(Duration.ofDays(30));
        assertThat(harness.wallet.maintain().expiredDeferredReversals()).isEmpty();
        harness.clock.advance(Duration.ofDays(6));
        MaintenanceReport report = harness.wallet.maintain();

        assertThat(report.expiredDeferredReversals()).hasSize(1);
        assertThat(report.expiredDeferredReversals().get(0)).startsWith("refund:");
        assertThat(harness.wallet.maintain().total()).isZero();
    }

    @Test
    void idempotencyKeysChargeAgainAfterTheirWindowPrunedByLazyBatchesOnWrites() {
        try (WebhookHarness lazy = new WebhookHarness(b -> b.retention(Retention.defaults().withLazyBatches(1, 10)))) {
            Session bob = lazy.visitor();
            lazy.deliver(createdAt(checkoutCompleted(bob, 1).json(), lazy.clock.instant()));
            ChargeRequest request = ChargeRequest.of(bob.accessToken(), 100).withIdempotencyKey("order-1");
            assertThat(lazy.wallet.charge(request).outcome()).isEqualTo(ChargeOutcome.CHARGED);
            lazy.clock.advance(Duration.ofHours(23));
            assertThat(lazy.wallet.charge(request).outcome()).isEqualTo(ChargeOutcome.REPLAYED);

            lazy.clock.advance(Duration.ofHours(2));
            lazy.wallet.charge(bob.accessToken(), 1); // a write: its lazy batch prunes the key

            assertThat(lazy.wallet.charge(request).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        }
    }

    @Test
    void withLazyBatchesOffOnlyMaintainPrunes() {
        try (WebhookHarness off = new WebhookHarness(b -> b.retention(Retention.defaults().withLazyBatches(0, 10)))) {
            Session bob = off.visitor();
            off.deliver(createdAt(checkoutCompleted(bob, 1).json(), off.clock.instant()));
            ChargeRequest request = ChargeRequest.of(bob.accessToken(), 100).withIdempotencyKey("order-1");
            off.wallet.charge(request);
            off.clock.advance(Duration.ofHours(25));
            for (int i = 0; i < 5; i++) {
                off.wallet.charge(bob.accessToken(), 1);
            }
            assertThat(off.wallet.charge(request).outcome()).isEqualTo(ChargeOutcome.REPLAYED);

            assertThat(off.wallet.maintain().idempotencyKeys()).isEqualTo(1);
            assertThat(off.wallet.charge(request).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        }
    }

    @Test
    void lazyBatchesPauseWhileTheHostsOwnMaintenanceRunsAndResumeWhenItStops() {
        Retention oneMinuteKeys = Retention.defaults().withIdempotencyKeys(Duration.ofMinutes(1)).withLazyBatches(1, 10);
        try (WebhookHarness lazy = new WebhookHarness(b -> b.retention(oneMinuteKeys))) {
            Session bob = lazy.visitor();
            lazy.deliver(createdAt(checkoutCompleted(bob, 1).json(), lazy.clock.instant()));
            ChargeRequest second = ChargeRequest.of(bob.accessToken(), 100).withIdempotencyKey("order-2");
            lazy.clock.advance(Duration.ofMinutes(2));
            lazy.wallet.charge(second);
            assertThat(lazy.wallet.maintain().idempotencyKeys()).isZero();

            lazy.clock.advance(Duration.ofMinutes(2)); // the key's window passed; the host's pass is 2 min old
            lazy.wallet.charge(bob.accessToken(), 1);
            assertThat(lazy.wallet.charge(second).outcome()).isEqualTo(ChargeOutcome.REPLAYED);

            lazy.clock.advance(Duration.ofMinutes(10)); // the host stopped: lazy batches resume
            lazy.wallet.charge(bob.accessToken(), 1);
            assertThat(lazy.wallet.charge(second).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        }
    }

    @Test
    void unusableRetentionSettingsAreRefusedAtBuildTime() {
        Retention tooShort = Retention.defaults().withOperations(Duration.ofDays(4), Duration.ofDays(2));
        Retention paymentsShorter = Retention.defaults().withPayments(Duration.ofDays(10));
        Retention noKeys = Retention.defaults().withIdempotencyKeys(Duration.ZERO);

        for (Retention bad : new Retention[] {tooShort, paymentsShorter, noKeys}) {
            assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore()).retention(bad).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("retention");
        }
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore()).retention(null).build())
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void archiveBeforeThroughTheWalletRollsUpAndRefusesNulls() {
        harness.deliver(createdAt(checkoutCompleted(ada, 1).json(), harness.clock.instant()));
        harness.clock.advance(Duration.ofSeconds(1));
        harness.wallet.charge(ada.accessToken(), 10);
        long balance = harness.balance(ada);
        harness.clock.advance(Duration.ofSeconds(1));

        assertThat(harness.wallet.archiveBefore(harness.clock.instant(), (userId, entries) -> { }).entries())
                .isEqualTo(2);

        assertThat(harness.ledger(ada)).singleElement().satisfies(e -> assertThat(e.amountCents()).isEqualTo(balance));
        assertThatThrownBy(() -> harness.wallet.archiveBefore(null, (u, e) -> { }))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> harness.wallet.archiveBefore(Instant.EPOCH, null))
                .isInstanceOf(NullPointerException.class);
    }
}
