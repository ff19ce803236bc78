package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.Wallet;
import dev.stripeflare.spi.UserStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store configurations, imported in order by {@link StripeflareAutoConfiguration} (this holder
 * is no configuration itself, so its members are processed only through that import, in its
 * order). The wallet owns the store, so no store bean has a destroy method of its own.
 */
abstract class StoreConfigurations {
    private StoreConfigurations() {
    }

    /** The PostgreSQL store on the application's {@link DataSource}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.stripeflare.store.postgres.PostgresUserStore")
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnProperty(prefix = "stripeflare.store", name = "type", havingValue = "postgres", matchIfMissing = true)
    static class PostgresStore {
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean({UserStore.class, Wallet.class})
        UserStore stripeflareUserStore(DataSource dataSource, StripeflareProperties properties) {
            return dev.stripeflare.store.postgres.PostgresUserStore.of(dataSource,
                    properties.getStore().getPostgresSchema());
        }
    }

    /** The in-memory store, when asked for. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.stripeflare.store.memory.InMemoryUserStore")
    @ConditionalOnProperty(prefix = "stripeflare.store", name = "type", havingValue = "memory")
    static class MemoryStore {
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean({UserStore.class, Wallet.class})
        UserStore stripeflareUserStore() {
            return new dev.stripeflare.store.memory.InMemoryUserStore();
        }
    }

    /** The H2 file store: the default. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.stripeflare.store.h2.H2UserStore")
    @ConditionalOnProperty(prefix = "stripeflare.store", name = "type", havingValue = "h2", matchIfMissing = true)
    static class H2Store {
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean({UserStore.class, Wallet.class})
        UserStore stripeflareUserStore(StripeflareProperties properties) {
            return dev.stripeflare.store.h2.H2UserStore.file(properties.getStore().getH2File());
        }
    }
}
