package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.Wallet;
import dev.stripeflare.micrometer.MeteredWallet;
import dev.stripeflare.micrometer.StripeflareMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for the wallet when Micrometer and stripeflare-micrometer are on the class
 * path: a {@link StripeflareMetrics} bean (a {@code MeterBinder}, which Spring Boot binds to its
 * registries, and a {@code WalletListener}, which the auto-configured wallet registers), and every
 * {@link Wallet} bean wrapped in a {@link MeteredWallet}. Off with
 * {@code stripeflare.metrics.enabled=false}. Percentiles are off; turn them on with
 * {@code management.metrics.distribution.percentiles.stripeflare.charge.duration=0.5,0.99}.
 */
@AutoConfiguration(before = StripeflareAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, StripeflareMetrics.class})
@ConditionalOnProperty(prefix = "stripeflare.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
public class StripeflareMetricsAutoConfiguration {

    /** The meters; bound to the application's registries by Spring Boot. */
    @Bean
    @ConditionalOnMissingBean
    public StripeflareMetrics stripeflareMetrics() {
        return new StripeflareMetrics();
    }

    /** Wraps each wallet bean so its charges, webhook deliveries and store errors are recorded. */
    @Bean
    static BeanPostProcessor stripeflareMeteredWalletPostProcessor(ObjectProvider<StripeflareMetrics> metrics) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof Wallet wallet && !(bean instanceof MeteredWallet)) {
                    StripeflareMetrics bound = metrics.getIfAvailable();
                    return bound == null ? bean : MeteredWallet.wrap(wallet, bound);
                }
                return bean;
            }
        };
    }
}
