package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 10's commit-time charging, as a paying client who wants what was priced without
 * paying for it, on a real Jetty.
 */
class HostileClientTest {
    private final PricedServlets servlets = new PricedServlets();
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development(), UnaryOperator.identity(), servlets::register,
                new Server());
    }

    @AfterEach
    void stop() {
        servlets.close();
        harness.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        return harness.send(harness.request(path).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * A priced redirect delivers what was priced in its {@code Location} (a signed download URL,
     * say), not in its body: {@code HEAD} runs {@code doGet} and receives the same
     * {@code Location}, so it must be charged like {@code GET} — or refused with 402 when the
     * balance is too low.
     */
    @Test
    void headOfAPricedRedirectDoesNotRevealItsLocationForFree() throws Exception {
        String rich = harness.registeredUser(10);
        HttpResponse<String> head = send("HEAD", "/redirect?price=5", rich);
        if (head.headers().firstValue("Location").isPresent()) {
            assertThat(harness.balance(rich)).as("a HEAD that received the priced Location").isEqualTo(5);
        }

        String poor = harness.registeredUser(1);
        HttpResponse<String> declined = send("HEAD", "/redirect?price=5", poor);
        assertThat(declined.headers().firstValue("Location")).as("Location without paying").isEmpty();
        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(harness.balance(poor)).isEqualTo(1);
    }
}
