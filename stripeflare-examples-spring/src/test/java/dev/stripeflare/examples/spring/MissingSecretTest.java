package dev.stripeflare.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/** Without its secrets the application does not start, and says which properties to set. */
class MissingSecretTest {

    @Test
    void aMissingSecretFailsStartUpWithTheAnalyzersMessage() {
        SpringApplication application = new SpringApplication(PaidApiApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> application.run(
                    "--stripeflare.store.type=memory",
                    "--stripeflare.webhook-signing-secret=whsec_spring_example_test",
                    "--stripeflare.stripe-secret-key=sk_test_spring_example",
                    "--stripeflare.payment-link=https://buy.stripe.com/test_spring_example",
                    "--spring.main.banner-mode=off"))
                    .hasRootCauseInstanceOf(dev.stripeflare.ConfigurationException.class);
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("stripeflare.db-secret is missing")
                .contains("Action:")
                .contains("stripeflare.db-secret: at least 32 random characters")
                .doesNotContain("stripeflare.payment-link is missing");
    }
}
