package dev.stripeflare.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.event.WalletListener;
import dev.stripeflare.micrometer.MeteredWallet;
import dev.stripeflare.micrometer.StripeflareMetrics;
import dev.stripeflare.servlet.FilterSettings;
import dev.stripeflare.servlet.StripeflareFilter;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.h2.H2UserStore;
import dev.stripeflare.store.memory.InMemoryUserStore;
import dev.stripeflare.store.postgres.PostgresUserStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class StripeflareAutoConfigurationTest {
    static final String[] SECRETS = {
        "stripeflare.db-secret=autoconfigure-test-db-secret-0123456789abcdef",
        "stripeflare.webhook-signing-secret=whsec_autoconfigure_test",
        "stripeflare.stripe-secret-key=sk_test_autoconfigure",
        "stripeflare.payment-link=https://buy.stripe.com/test_autoconfigure"
    };

    private static final AutoConfigurations ALL = AutoConfigurations.of(StripeflareMetricsAutoConfiguration.class,
            StripeflareAutoConfiguration.class, StripeflareServletAutoConfiguration.class,
            StripeflareHealthAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(ALL)
            .withPropertyValues(SECRETS);

    @Test
    void memoryStoreWhenAskedWithAMeteredWalletAndHealth() {
        runner.withPropertyValues("stripeflare.store.type=memory").run(context -> {
            assertThat(context).hasSingleBean(Wallet.class).hasSingleBean(UserStore.class)
                    .hasSingleBean(StripeflareMetrics.class).hasBean("stripeflareHealthIndicator");
            assertThat(context.getBean(UserStore.class)).isInstanceOf(InMemoryUserStore.class);
            assertThat(context.getBean(Wallet.class)).isInstanceOf(MeteredWallet.class);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);

            Health health = context.getBean(StripeflareHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("degraded", false).containsKey("detail");
        });
    }

    @Test
    void theH2FileStoreIsTheDefaultAndTheWalletClosesItWithTheContext(@TempDir Path directory) {
        AtomicReference<UserStore> store = new AtomicReference<>();
        runner.withPropertyValues("stripeflare.store.h2-file=" + directory.resolve("wallet")).run(context -> {
            assertThat(context.getBean(UserStore.class)).isInstanceOf(H2UserStore.class);
            store.set(context.getBean(UserStore.class));
            Wallet wallet = context.getBean(Wallet.class);
            Session session = wallet.session(null);
            assertThat(session.registered()).isFalse();
            assertThat(wallet.charge(session.accessToken(), 1).outcome().name()).isEqualTo("NOT_REGISTERED");
        });
        assertThat(Files.exists(directory.resolve("wallet.mv.db"))).isTrue();
        assertThat(store.get().health().status().name()).isEqualTo("DOWN");
    }

    @Test
    void missingSecretsFailStartUpAndTheAnalyzerNamesEachProperty() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withPropertyValues("stripeflare.store.type=memory",
                        "stripeflare.webhook-signing-secret=not-a-whsec",
                        "stripeflare.payment-link=http://example.com/pay")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).hasRootCauseInstanceOf(ConfigurationException.class);
                    FailureAnalysis analysis = new StripeflareFailureAnalyzer().analyze(failure);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .contains("stripeflare.db-secret is missing")
                            .contains("stripeflare.webhook-signing-secret must start with whsec_")
                            .contains("stripeflare.stripe-secret-key is missing")
                            .contains("stripeflare.payment-link must be an https URL")
                            .doesNotContain("not-a-whsec");
                    assertThat(analysis.getAction()).contains("stripeflare.db-secret: at least 32 random characters")
                            .contains("stripeflare.webhook-signing-secret: ")
                            .contains("stripeflare.stripe-secret-key: ")
                            .contains("stripeflare.payment-link: ");
                });
    }

    @Test
    void aShortSecretAndAPreviousOneAreNamedByProperty() {
        runner.withPropertyValues("stripeflare.store.type=memory", "stripeflare.db-secret=short",
                "stripeflare.previous-db-secrets[0]=also-short", "stripeflare.currency=dollars").run(context -> {
                    FailureAnalysis analysis = new StripeflareFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("stripeflare.db-secret must be at least 32 characters")
                            .contains("stripeflare.previous-db-secrets[0] must be at least 32 characters")
                            .contains("stripeflare.currency must be a three-letter ISO 4217 code")
                            .doesNotContain("also-short");
                });
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        runner.withUserConfiguration(OwnWallet.class).run(context -> {
            assertThat(context).hasSingleBean(Wallet.class).doesNotHaveBean(UserStore.class)
                    .doesNotHaveBean("stripeflareHealthIndicator");
            assertThat(((MeteredWallet) context.getBean(Wallet.class)).delegate())
                    .isSameAs(context.getBean(OwnWallet.class).wallet);
        });
        runner.withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context.getBean(UserStore.class)).isSameAs(context.getBean(OwnStore.class).store);
            assertThat(context).hasSingleBean(Wallet.class).hasBean("stripeflareHealthIndicator");
        });
        runner.withPropertyValues("stripeflare.store.type=memory", "stripeflare.metrics.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(StripeflareMetrics.class);
                    assertThat(context.getBean(Wallet.class)).isNotInstanceOf(MeteredWallet.class);
                });
    }

    @Test
    void listenerBeansAndCustomizersReachTheBuilder() {
        runner.withPropertyValues("stripeflare.store.type=memory").withUserConfiguration(Customized.class)
                .run(context -> {
                    assertThat(context.getBean(Customized.class).customized).isTrue();
                });
    }

    @Test
    void withoutMicrometerOrHealthTheWalletIsPlain() {
        runner.withPropertyValues("stripeflare.store.type=memory")
                .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasSingleBean(Wallet.class).doesNotHaveBean("stripeflareHealthIndicator");
                    assertThat(context.getBean(Wallet.class)).isNotInstanceOf(MeteredWallet.class);
                });
    }

    @Test
    void metricsRecordChargesOnceBound() {
        runner.withPropertyValues("stripeflare.store.type=memory").run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(StripeflareMetrics.class).bindTo(registry);
            Wallet wallet = context.getBean(Wallet.class);
            ChargeResult result = wallet.charge(wallet.session(null).accessToken(), 5);

            assertThat(result.charged()).isFalse();
            assertThat(registry.get(StripeflareMetrics.CHARGES).tag("outcome", "not_registered").functionCounter().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void theFilterIsRegisteredOnItsPathsWithTheSettingsFromProperties() {
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRETS)
                .withPropertyValues("stripeflare.store.type=memory", "stripeflare.path-prefix=/wallet",
                        "stripeflare.cookie.development=true", "stripeflare.filter.url-patterns=/api/*,/wallet/*")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    FilterRegistrationBean<StripeflareFilter> registration =
                            context.getBean("stripeflareFilterRegistration", FilterRegistrationBean.class);
                    assertThat(registration.getUrlPatterns()).containsExactly("/api/*", "/wallet/*");
                    assertThat(registration.isAsyncSupported()).isTrue();
                    assertThat(registration.determineDispatcherTypes())
                            .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
                    FilterSettings settings = registration.getFilter().settings();
                    assertThat(settings.mePath()).isEqualTo("/wallet/me");
                    assertThat(settings.webhookPath()).isEqualTo("/wallet/stripe-webhook");
                    assertThat(settings.developmentCookies()).isTrue();
                });
    }

    @Test
    void aMalformedPathPrefixFailsStartUpAndTheFilterCanBeTurnedOff() {
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRETS)
                .withPropertyValues("stripeflare.store.type=memory", "stripeflare.path-prefix=wallet/")
                .run(context -> assertThat(context).hasFailed());
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRETS)
                .withPropertyValues("stripeflare.store.type=memory", "stripeflare.filter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
                        .hasSingleBean(Wallet.class));
    }

    @Test
    void thePostgresStoreOnTheApplicationsDataSource() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            boolean required = "true".equalsIgnoreCase(System.getenv("CI"));
            assertThat(required).as("CI=true: PostgreSQL must answer at " + url).isFalse();
            Assumptions.abort("SKIPPED: no PostgreSQL at 127.0.0.1:5432: " + e.getMessage());
        }
        String schema = "sf_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        try {
            runner.withBean(DataSource.class, () -> dataSource)
                    .withPropertyValues("stripeflare.store.postgres-schema=" + schema)
                    .run(context -> {
                        assertThat(context.getBean(UserStore.class)).isInstanceOf(PostgresUserStore.class);
                        Wallet wallet = context.getBean(Wallet.class);
                        assertThat(wallet.charge(wallet.session(null).accessToken(), 1).charged()).isFalse();
                        assertThat(context.getBean(StripeflareHealthIndicator.class).health().getStatus())
                                .isEqualTo(Status.UP);
                    });
            runner.withBean(DataSource.class, () -> dataSource)
                    .withPropertyValues("stripeflare.store.type=memory")
                    .run(context -> assertThat(context.getBean(UserStore.class))
                            .isInstanceOf(InMemoryUserStore.class));
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWallet {
        final Wallet wallet = WalletSettings.builder(properties()).userStore(new InMemoryUserStore()).build();

        @Bean
        Wallet myWallet() {
            return wallet;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        final UserStore store = new InMemoryUserStore();

        @Bean
        UserStore myStore() {
            return store;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        boolean customized;

        @Bean
        StripeflareBuilderCustomizer customizer() {
            return builder -> {
                customized = true;
                builder.lowBalanceThresholds(10);
            };
        }

        @Bean
        WalletListener myListener() {
            return new WalletListener() {
            };
        }
    }

    static StripeflareProperties properties() {
        StripeflareProperties properties = new StripeflareProperties();
        properties.setDbSecret("autoconfigure-test-db-secret-0123456789abcdef");
        properties.setWebhookSigningSecret("whsec_autoconfigure_test");
        properties.setStripeSecretKey("sk_test_autoconfigure");
        properties.setPaymentLink("https://buy.stripe.com/test_autoconfigure");
        return properties;
    }
}
