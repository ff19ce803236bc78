package dev.stripeflare.core;

import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** A wallet builder with valid test settings. */
final class TestWallets {
    static final String DB_SECRET = "test-db-secret-that-is-long-enough-0123456789";
    static final String SIGNING_SECRET = "whsec_test_signing_secret_0123456789";
    static final String PAYMENT_LINK = "https://buy.stripe.com/test_abc123";
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    /** Operation ids kept ten years: every fixture event is recent enough. */
    static final Retention LONG_RETENTION = Retention.defaults()
            .withOperations(java.time.Duration.ofDays(3_650), java.time.Duration.ofDays(2))
            .withPayments(java.time.Duration.ofDays(3_650));

    private TestWallets() {
    }

    static Stripeflare.Builder builder(UserStore store) {
        return Stripeflare.builder()
                .userStore(store)
                .dbSecret(DB_SECRET)
                .webhookSigningSecret(SIGNING_SECRET)
                .stripeSecretKey("sk_test_0123456789")
                .paymentLink(PAYMENT_LINK)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                // The fixtures' events were created in November 2025, a year before NOW; the
                // default retention would refuse them as too old. RetentionTest uses the defaults.
                .retention(LONG_RETENTION);
    }
}
