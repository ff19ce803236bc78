package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.core.Stripeflare;

/**
 * Adjusts the builder of the auto-configured wallet after the {@code stripeflare.*} properties
 * are applied, for settings that have no property (a clock, an allowance, low-balance
 * thresholds, a listener executor). Beans of this type are applied in their order.
 */
@FunctionalInterface
public interface StripeflareBuilderCustomizer {
    /** Changes {@code builder} in place. */
    void customize(Stripeflare.Builder builder);
}
