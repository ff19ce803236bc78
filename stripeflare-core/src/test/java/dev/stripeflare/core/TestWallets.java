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

    private TestWallets() {
    }

    static Stripeflare.Builder builder(UserStore store) {
        return Stripeflare.builder()
                .userStore(store)
                .dbSecret(DB_SECRET)
                .webhookSigningSecret(SIGNING_SECRET)
                .stripeSecretKey("sk_test_0123456789")
                .paymentLink(PAYMENT_LINK)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
