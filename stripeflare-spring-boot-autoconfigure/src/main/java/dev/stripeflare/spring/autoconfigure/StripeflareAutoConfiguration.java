package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.event.WalletListener;
import dev.stripeflare.spi.UserStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A {@link Wallet} bean built from the {@code stripeflare.*} properties, on a {@link UserStore}
 * bean: the H2 file store by default, the in-memory store with
 * {@code stripeflare.store.type=memory}, the PostgreSQL store on the application's
 * {@code DataSource} when stripeflare-store-postgres is present (or with
 * {@code stripeflare.store.type=postgres}). Every {@link WalletListener} bean hears the wallet's
 * events, and every {@link StripeflareBuilderCustomizer} bean adjusts the builder last.
 *
 * <p>Each bean backs off when the application defines its own of that type; a store is made only
 * when the application has neither a {@code UserStore} nor a {@code Wallet}. The wallet owns its
 * store: closing the wallet (on context shutdown) closes the store.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Stripeflare.class)
@EnableConfigurationProperties(StripeflareProperties.class)
// In this order: the first store that matches wins, and h2 is the fallback.
@Import({StoreConfigurations.PostgresStore.class, StoreConfigurations.MemoryStore.class,
        StoreConfigurations.H2Store.class})
public class StripeflareAutoConfiguration {

    /** The wallet; a malformed or missing setting fails start-up through {@link StripeflareFailureAnalyzer}. */
    @Bean
    @ConditionalOnMissingBean(Wallet.class)
    public Wallet stripeflareWallet(StripeflareProperties properties, UserStore userStore,
                                    ObjectProvider<WalletListener> listeners,
                                    ObjectProvider<StripeflareBuilderCustomizer> customizers) {
        Stripeflare.Builder builder = WalletSettings.builder(properties).userStore(userStore);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }
}
