package dev.stripeflare.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class StripeflareHealthIndicatorTest {

    private static UserStore reporting(StoreHealth health) {
        return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("health")) {
                        return health;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void downIsDownWithTheDetailAndTheLastFailure() {
        Instant failed = Instant.parse("2026-11-29T12:00:00Z");
        Health health = new StripeflareHealthIndicator(reporting(
                StoreHealth.down("storage failed: No space left on device", Optional.of(failed)))).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("detail", "storage failed: No space left on device")
                .containsEntry("lastFailure", "2026-11-29T12:00:00Z").containsEntry("degraded", false);
    }

    @Test
    void degradedStaysUpAndSaysSoWithTheDiskFigures() {
        Health health = new StripeflareHealthIndicator(reporting(new StoreHealth(StoreHealth.Status.DEGRADED,
                "low disk space", Optional.empty(), OptionalLong.of(1_000), OptionalLong.of(10)))).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("degraded", true).containsEntry("dataBytes", 1_000L)
                .containsEntry("freeBytes", 10L).doesNotContainKey("lastFailure");
    }

    @Test
    void aNullStoreIsRefused() {
        assertThatThrownBy(() -> new StripeflareHealthIndicator(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theJarCarriesConfigurationMetadataForEveryProperty() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metadata).contains("\"stripeflare.db-secret\"", "\"stripeflare.webhook-signing-secret\"",
                "\"stripeflare.stripe-secret-key\"", "\"stripeflare.payment-link\"", "\"stripeflare.currency\"",
                "\"stripeflare.path-prefix\"", "\"stripeflare.cookie.development\"", "\"stripeflare.store.type\"",
                "\"stripeflare.store.h2-file\"", "\"stripeflare.metrics.enabled\"");
    }
}
