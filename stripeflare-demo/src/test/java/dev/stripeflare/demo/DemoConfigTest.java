package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    @Test
    void withoutStripeVariablesItIsTestModeOnLoopback8080WithDevelopmentCookies() {
        DemoConfig config = DemoConfig.from(new String[0], Map.of());
        assertThat(config.testMode()).isTrue();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.devCookies()).isTrue();
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        DemoConfig config = DemoConfig.from(new String[] {"--port=9090", "--data=/tmp/x", "--host=localhost"},
                Map.of("PORT", "7070", "DATA_DIR", "/tmp/y", "HOST", "0.0.0.0"));
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(config.host()).isEqualTo("localhost");
    }

    /** Abuse: a demo deployed without its Stripe variables must not let the network pay with the simulated checkout. */
    @Test
    void testModeRefusesToListenBeyondLoopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoConfig.from(new String[0], Map.of("HOST", "0.0.0.0")))
                .withMessageContaining("loopback");
        DemoConfig live = DemoConfig.from(new String[0], Map.of("HOST", "0.0.0.0", "STRIPE_SECRET", "sk_test_1",
                "STRIPE_WEBHOOK_SIGNING_SECRET", "whsec_1", "STRIPE_PAYMENT_LINK", "https://buy.stripe.com/x",
                "DB_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(live.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void allFourStripeVariablesMeanLiveModeWithSecureCookies() {
        DemoConfig config = DemoConfig.from(new String[0], Map.of("STRIPE_SECRET", "sk_test_1",
                "STRIPE_WEBHOOK_SIGNING_SECRET", "whsec_1", "STRIPE_PAYMENT_LINK", "https://buy.stripe.com/x",
                "DB_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(config.testMode()).isFalse();
        assertThat(config.devCookies()).isFalse();
        assertThat(config.toString()).doesNotContain("sk_test_1", "whsec_1", "0123456789abcdef");
    }

    @Test
    void someButNotAllStripeVariablesIsAnErrorNamingTheMissingOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoConfig.from(new String[0], Map.of("STRIPE_SECRET", "sk_test_1")))
                .withMessageContaining("STRIPE_WEBHOOK_SIGNING_SECRET, STRIPE_PAYMENT_LINK, DB_SECRET");
    }

    @Test
    void aMalformedPortIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoConfig.from(new String[] {"--port=http"}, Map.of()))
                .withMessageContaining("port");
        assertThatIllegalArgumentException().isThrownBy(() -> DemoConfig.from(new String[] {"--port=70000"}, Map.of()))
                .withMessageContaining("port");
    }

    @Test
    void withoutADatabaseUrlTheWalletStaysOnTheH2File() {
        assertThat(DemoConfig.from(new String[0], Map.of()).database()).isEmpty();
    }

    @Test
    void aJdbcUrlFromTheEnvironmentOrAnArgumentMeansPostgresInTheDefaultSchemaArgumentWinning() {
        DemoConfig fromEnv = DemoConfig.from(new String[0],
                Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/app?user=app&password=s3cret"));
        assertThat(fromEnv.database()).hasValue(
                new DemoConfig.Database("jdbc:postgresql://db:5432/app?user=app&password=s3cret", "stripeflare"));

        DemoConfig fromArgs = DemoConfig.from(new String[] {"--jdbc-url=jdbc:postgresql://other/x", "--db-schema=demo_1"},
                Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/app", "DATABASE_SCHEMA", "ignored"));
        assertThat(fromArgs.database()).hasValue(new DemoConfig.Database("jdbc:postgresql://other/x", "demo_1"));
    }

    @Test
    void theDatabasePasswordIsNeverPrinted() {
        DemoConfig config = DemoConfig.from(new String[] {"--jdbc-url=jdbc:postgresql://app:pw1@db:5432/app?password=pw2"},
                Map.of());
        assertThat(config.toString()).contains("jdbc:postgresql://db:5432/app").doesNotContain("pw1", "pw2");
        assertThat(config.database().orElseThrow().redactedUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
    }

    @Test
    void aNonJdbcUrlABadSchemaOrASchemaWithoutUrlIsNamedWithoutQuotingTheUrl() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoConfig.from(new String[0], Map.of("DATABASE_URL", "postgres://u:secret@db/app")))
                .withMessageContaining("DATABASE_URL").withMessageNotContaining("secret");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoConfig.from(new String[] {"--jdbc-url=jdbc:postgresql://db/app",
                        "--db-schema=x; DROP TABLE y"}, Map.of()))
                .withMessageContaining("--db-schema");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoConfig.from(new String[] {"--db-schema=demo"}, Map.of()))
                .withMessageContaining("needs DATABASE_URL");
    }
}
