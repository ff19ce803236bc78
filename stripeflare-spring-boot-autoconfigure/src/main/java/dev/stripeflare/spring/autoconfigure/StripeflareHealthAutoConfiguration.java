package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.spi.UserStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The store's own health ({@link UserStore#health()}) as the Actuator health component
 * {@code stripeflare}, when spring-boot-health is on the class path and there is a store bean.
 */
@AutoConfiguration(after = StripeflareAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(UserStore.class)
public class StripeflareHealthAutoConfiguration {

    /** The health indicator, named {@code stripeflare} in {@code /actuator/health}. */
    @Bean
    @ConditionalOnMissingBean(name = "stripeflareHealthIndicator")
    public StripeflareHealthIndicator stripeflareHealthIndicator(UserStore userStore) {
        return new StripeflareHealthIndicator(userStore);
    }
}
