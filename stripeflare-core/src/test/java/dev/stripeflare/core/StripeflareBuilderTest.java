package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Wallet;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StripeflareBuilderTest {

    @Test
    void emptyBuilderNamesEveryMissingSetting() {
        assertThatThrownBy(() -> Stripeflare.builder().build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("userStore"))
                        .anyMatch(p -> p.contains("DB_SECRET"))
                        .anyMatch(p -> p.contains("STRIPE_WEBHOOK_SIGNING_SECRET"))
                        .anyMatch(p -> p.contains("STRIPE_SECRET"))
                        .anyMatch(p -> p.contains("STRIPE_PAYMENT_LINK"))
                        .hasSize(5));
    }

    @Test
    void malformedSettingsAreEachNamed() {
        assertThatThrownBy(() -> Stripeflare.builder()
                .userStore(new InMemoryUserStore())
                .dbSecret("short")
                .webhookSigningSecret("sk_wrong_prefix")
                .stripeSecretKey("pk_test_publishable")
                .paymentLink("http://buy.stripe.com/abc")
                .currency("dollars")
                .webhookTolerance(Duration.ZERO)
                .stripeApiBase(URI.create("ftp://127.0.0.1"))
                .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("dbSecret") && p.contains("32"))
                        .anyMatch(p -> p.contains("whsec_"))
                        .anyMatch(p -> p.contains("sk_"))
                        .anyMatch(p -> p.contains("https"))
                        .anyMatch(p -> p.contains("currency"))
                        .anyMatch(p -> p.contains("webhookTolerance"))
                        .anyMatch(p -> p.contains("stripeApiBase"))
                        .hasSize(7));
    }

    @Test
    void aShortPreviousSecretIsRejectedToo() {
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore())
                .dbSecret(TestWallets.DB_SECRET, "too-short")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("previous dbSecret #1");
    }

    @Test
    void stripeApiTimeoutMustBePositive() {
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore())
                .stripeApiTimeout(java.time.Duration.ZERO).build())
                .hasMessageContaining("stripeApiTimeout");
    }

    @Test
    void checkoutWindowsMustBePositiveAndBoundedAndAreEachNamed() {
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore())
                .checkoutClaimWindow(java.time.Duration.ZERO)
                .checkoutPendingWindow(java.time.Duration.ofDays(91)).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("checkoutClaimWindow must be positive"))
                        .anySatisfy(p -> assertThat(p).startsWith("checkoutPendingWindow must be positive")));
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore()).checkoutClaimWindow(null).build())
                .hasMessageContaining("checkoutClaimWindow");
        assertThat(Stripeflare.Builder.DEFAULT_CHECKOUT_CLAIM_WINDOW).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(Stripeflare.Builder.DEFAULT_CHECKOUT_PENDING_WINDOW).isEqualTo(java.time.Duration.ofDays(7));
    }

    @Test
    void messagesNeverContainSecrets() {
        String secret = "whsec_" + "x".repeat(20);
        assertThatThrownBy(() -> Stripeflare.builder().webhookSigningSecret(secret).dbSecret("tiny-secret").build())
                .isInstanceOf(ConfigurationException.class)
                .message().doesNotContain(secret).doesNotContain("tiny-secret");
    }

    @Test
    void validSettingsBuildAWallet() {
        try (Wallet wallet = TestWallets.builder(new InMemoryUserStore())
                .paymentLink("http://localhost:8080/simulated-checkout")
                .currency("EUR")
                .build()) {
            assertThat(wallet.session(null).paymentLink())
                    .startsWith("http://localhost:8080/simulated-checkout?client_reference_id=");
        }
    }
}
