package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UserStore;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports a store's {@link StoreHealth}: {@code DOWN} when the store cannot serve calls, else
 * {@code UP} — also when the store is {@code DEGRADED} (serving, but close to failing, e.g. a disk
 * nearly full), which shows as {@code degraded: true} in the details, so a load balancer keeps a
 * serving instance while an alert on the detail reaches a person. Details: {@code detail},
 * {@code lastFailure}, {@code dataBytes}, {@code freeBytes} where the store knows them; never a
 * token or secret.
 */
public class StripeflareHealthIndicator implements HealthIndicator {
    private final UserStore store;

    /** Reports {@code store}'s health. */
    public StripeflareHealthIndicator(UserStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Health health() {
        StoreHealth health = store.health();
        Health.Builder builder = health.status() == StoreHealth.Status.DOWN ? Health.down() : Health.up();
        builder.withDetail("detail", health.detail());
        builder.withDetail("degraded", health.status() == StoreHealth.Status.DEGRADED);
        health.lastFailure().ifPresent(at -> builder.withDetail("lastFailure", at.toString()));
        health.dataBytes().ifPresent(bytes -> builder.withDetail("dataBytes", bytes));
        health.freeBytes().ifPresent(bytes -> builder.withDetail("freeBytes", bytes));
        return builder.build();
    }
}
