package dev.stripeflare.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.event.CreditedEvent;
import dev.stripeflare.event.RestoredEvent;
import dev.stripeflare.event.ReversedEvent;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.store.memory.InMemoryUserStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeteredWalletTest {
    private static final String SIGNING_SECRET = "whsec_micrometer_test_secret";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StripeflareMetrics metrics = StripeflareMetrics.boundTo(registry);
    private InMemoryUserStore store;
    private Wallet wallet;

    @BeforeEach
    void open() {
        store = new InMemoryUserStore();
        wallet = MeteredWallet.wrap(Stripeflare.builder()
                .userStore(store)
                .dbSecret("micrometer-test-db-secret-0123456789abcdef")
                .webhookSigningSecret(SIGNING_SECRET)
                .stripeSecretKey("sk_test_micrometer")
                .paymentLink("https://buy.stripe.com/test_micrometer")
                .listener(metrics)
                .build(), metrics);
    }

    @AfterEach
    void close() {
        wallet.close();
    }

    /** A registered account holding {@code cents}, as a payment would make it. */
    private String registered(long cents) {
        String token = wallet.session(null).accessToken();
        CreditResult result = store.credit(new PaymentCredit("seed:" + token.hashCode(), TokenHashes.of(token), cents,
                null, new PaymentProfile("Test User", "test@example.com", null, null), null, null, null,
                Instant.now()));
        assertThat(result.status()).isEqualTo(CreditResult.Status.APPLIED);
        return token;
    }

    private double charges(String outcome) {
        return registry.get(StripeflareMetrics.CHARGES).tag("outcome", outcome).functionCounter().count();
    }

    @Test
    void chargesAreCountedAndTimedByOutcome() {
        String token = registered(100);
        String visitor = wallet.session(null).accessToken();

        assertThat(wallet.charge(token, 60).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(wallet.charge(token, 60).outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(wallet.charge(visitor, 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(wallet.charge(ChargeRequest.of(token, 10).withIdempotencyKey("k1")).outcome())
                .isEqualTo(ChargeOutcome.CHARGED);
        assertThat(wallet.charge(ChargeRequest.of(token, 10).withIdempotencyKey("k1")).outcome())
                .isEqualTo(ChargeOutcome.REPLAYED);
        long userId = wallet.lookupUser(token).map(User::userId).orElseThrow();
        assertThat(wallet.chargeUser(userId, 5).outcome()).isEqualTo(ChargeOutcome.CHARGED);

        assertThat(charges("charged")).isEqualTo(3);
        assertThat(charges("insufficient_balance")).isEqualTo(1);
        assertThat(charges("not_registered")).isEqualTo(1);
        assertThat(charges("replayed")).isEqualTo(1);
        assertThat(charges("error")).isZero();
        assertThat(registry.get(StripeflareMetrics.CHARGE_DURATION).tag("outcome", "charged").timer().count())
                .isEqualTo(3);
        assertThat(registry.get(StripeflareMetrics.CHARGE_DURATION).tag("outcome", "charged").timer()
                .totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(wallet.lookupUser(token).orElseThrow().balanceCents()).isEqualTo(25);
    }

    @Test
    void percentilesAreOffByDefault() {
        String token = registered(10);
        wallet.charge(token, 1);

        assertThat(registry.get(StripeflareMetrics.CHARGE_DURATION).tag("outcome", "charged").timer()
                .takeSnapshot().percentileValues()).isEmpty();
        assertThat(registry.get(StripeflareMetrics.CHARGE_DURATION).tag("outcome", "charged").timer()
                .takeSnapshot().histogramCounts()).isEmpty();
    }

    @Test
    void noTagCarriesAUserIdTokenOrAmount() {
        String token = registered(500);
        wallet.charge(token, 7);
        wallet.handleWebhookPayload("{}", "t=1,v1=00");
        metrics.onCredited(new CreditedEvent(42, 500, 500, "op", "pi_x", Instant.now()));

        List<String> tagKeys = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith("stripeflare.");
            for (Tag tag : meter.getId().getTags()) {
                tagKeys.add(tag.getKey());
                assertThat(tag.getValue()).doesNotContain(token).doesNotContain("42").doesNotContain("pi_x")
                        .matches("[a-z_]+");
            }
        }
        assertThat(tagKeys).containsOnly("outcome", "kind", "operation");
    }

    @Test
    void webhookDeliveriesAreCountedByOutcome() {
        assertThat(wallet.handleWebhookPayload("{}", "t=1,v1=00").outcome())
                .isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(wallet.handleWebhookPayload("{}", null).outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);

        assertThat(registry.get(StripeflareMetrics.WEBHOOKS).tag("outcome", "rejected_signature").counter().count())
                .isEqualTo(2);
        assertThat(registry.get(StripeflareMetrics.WEBHOOKS).tag("outcome", "credited").counter().count()).isZero();
    }

    @Test
    void moneyEventsAreCountedInCents() {
        metrics.onCredited(new CreditedEvent(1, 500, 500, "op1", "pi_1", Instant.now()));
        metrics.onCredited(new CreditedEvent(2, 250, 250, "op2", "pi_2", Instant.now()));
        metrics.onReversed(new ReversedEvent(OptionalLong.of(1), 200, 300, false, LedgerEntryKind.REFUND, "op3",
                "pi_1", Instant.now()));
        metrics.onReversed(new ReversedEvent(OptionalLong.of(2), 250, 250, false, LedgerEntryKind.DISPUTE, "op4",
                "pi_2", Instant.now()));
        metrics.onRestored(new RestoredEvent(2, 250, 250, LedgerEntryKind.DISPUTE_WON, "op5", Instant.now()));

        assertThat(registry.get(StripeflareMetrics.CREDITS).counter().count()).isEqualTo(750);
        assertThat(registry.get(StripeflareMetrics.CREDITS).counter().getId().getBaseUnit()).isEqualTo("cents");
        assertThat(registry.get(StripeflareMetrics.REVERSALS).tag("kind", "refund").counter().count()).isEqualTo(200);
        assertThat(registry.get(StripeflareMetrics.REVERSALS).tag("kind", "dispute").counter().count()).isEqualTo(250);
        assertThat(registry.get(StripeflareMetrics.RESTORATIONS).tag("kind", "dispute_won").counter().count())
                .isEqualTo(250);
    }

    @Test
    void storeErrorsAreCountedAndRethrownUnchanged() {
        StoreException failure = new StoreException("disk full");
        Wallet failing = (Wallet) Proxy.newProxyInstance(Wallet.class.getClassLoader(), new Class<?>[] {Wallet.class},
                (proxy, method, args) -> {
                    throw failure;
                });
        Wallet metered = MeteredWallet.wrap(failing, metrics);

        assertThatThrownBy(() -> metered.charge("token", 1)).isSameAs(failure);
        assertThatThrownBy(() -> metered.session(null)).isSameAs(failure);
        assertThatThrownBy(() -> metered.handleWebhookPayload("{}", "sig")).isSameAs(failure);
        assertThatThrownBy(() -> metered.rotateToken("token")).isSameAs(failure);

        assertThat(registry.get(StripeflareMetrics.STORE_ERRORS).tag("operation", "charge").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(StripeflareMetrics.STORE_ERRORS).tag("operation", "session").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(StripeflareMetrics.STORE_ERRORS).tag("operation", "webhook").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(StripeflareMetrics.STORE_ERRORS).tag("operation", "rotate_token").counter().count())
                .isEqualTo(1);
        assertThat(charges("error")).isEqualTo(1);
        assertThat(registry.get(StripeflareMetrics.WEBHOOKS).tag("outcome", "error").counter().count()).isEqualTo(1);
    }

    @Test
    void badInputIsTheWalletsTypedExceptionCountedAsAnErrorAndChangesNothing() {
        String token = registered(100);

        assertThatThrownBy(() -> wallet.charge(token, -5)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> wallet.charge(token, 0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> MeteredWallet.wrap(null, metrics)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> metrics.bindTo(null)).isInstanceOf(NullPointerException.class);

        assertThat(wallet.lookupUser(token).orElseThrow().balanceCents()).isEqualTo(100);
        assertThat(wallet.ledger(token)).hasSize(1);
        assertThat(charges("error")).isEqualTo(2);
        assertThat(charges("charged")).isZero();
        assertThat(registry.get(StripeflareMetrics.STORE_ERRORS).tag("operation", "charge").counter().count())
                .isZero();
    }

    @Test
    void unboundMetricsRecordNothingAndBindingLaterStartsRecording() {
        StripeflareMetrics late = new StripeflareMetrics();
        late.recordCharge(ChargeOutcome.CHARGED, 1_000);
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        late.bindTo(first);
        late.recordCharge(ChargeOutcome.CHARGED, 1_000);
        late.bindTo(second);
        late.bindTo(second);
        late.recordCharge(ChargeOutcome.CHARGED, 1_000);

        assertThat(first.get(StripeflareMetrics.CHARGES).tag("outcome", "charged").functionCounter().count())
                .isEqualTo(2);
        assertThat(second.get(StripeflareMetrics.CHARGES).tag("outcome", "charged").functionCounter().count())
                .isEqualTo(1);
    }

    /** 8 threads charge one account at once: every charge is counted once, and money adds up. */
    @Test
    void concurrentChargesAreEachCountedOnce() throws Exception {
        String token = registered(4_000);
        int threads = 8;
        int perThread = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int charged = 0;
                    for (int i = 0; i < perThread; i++) {
                        ChargeResult result = wallet.charge(token, 1);
                        charged += result.charged() ? 1 : 0;
                    }
                    return charged;
                }));
            }
            start.countDown();
            int charged = 0;
            for (Future<Integer> result : results) {
                charged += result.get(60, TimeUnit.SECONDS);
            }

            assertThat(charged).isEqualTo(4_000);
            assertThat(charges("charged")).isEqualTo(4_000);
            assertThat(charges("insufficient_balance")).isEqualTo(threads * perThread - 4_000);
            assertThat(registry.get(StripeflareMetrics.CHARGE_DURATION).timers().stream()
                    .mapToLong(timer -> timer.count()).sum()).isEqualTo(threads * perThread);
            assertThat(wallet.lookupUser(token).orElseThrow().balanceCents()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
