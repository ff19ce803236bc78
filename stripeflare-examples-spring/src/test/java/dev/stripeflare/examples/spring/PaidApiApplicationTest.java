package dev.stripeflare.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole loop through a real server and a real HTTP client: a visitor gets a token, pays
 * through a signed webhook, is charged for paid requests until the balance runs out (402),
 * reads {@code /me}, and the charges appear at {@code /actuator/metrics/stripeflare.charges}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stripeflare.db-secret=spring-example-test-db-secret-0123456789abcdef",
    "stripeflare.webhook-signing-secret=" + PaidApiApplicationTest.SIGNING_SECRET,
    "stripeflare.stripe-secret-key=sk_test_spring_example",
    "stripeflare.payment-link=https://buy.stripe.com/test_spring_example",
    "stripeflare.store.type=memory",
    "stripeflare.cookie.development=true"
})
class PaidApiApplicationTest {
    static final String SIGNING_SECRET = "whsec_spring_example_test";
    private static final StripeStandIn STRIPE = new StripeStandIn(SIGNING_SECRET);
    private static final Pattern COOKIE = Pattern.compile("access_token=([^;]+)");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stripeApi(DynamicPropertyRegistry registry) {
        registry.add("stripeflare.stripe-api-base", () -> STRIPE.apiBase().toString());
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.close();
    }

    @Test
    void visitorPaysIsChargedRunsOutAndTheMetricsShowIt() throws Exception {
        // 1. A visitor: the first GET mints a token, delivered as a cookie.
        HttpResponse<String> first = get("/me", null);
        assertThat(first.statusCode()).isEqualTo(200);
        Matcher cookie = COOKIE.matcher(first.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(cookie.find()).isTrue();
        String token = cookie.group(1);
        HttpResponse<String> me = get("/me", token);
        assertThat(me.body()).contains("\"registered\":false").contains("\"balance\":0");
        String reference = field(me.body(), "client_reference_id");

        // 2. Not paid yet: the paid endpoint answers 402 with the way to pay.
        HttpResponse<String> unpaid = get("/fortune", token);
        assertThat(unpaid.statusCode()).isEqualTo(402);
        assertThat(unpaid.headers().firstValue("X-PaymentLink").orElseThrow())
                .startsWith("https://buy.stripe.com/test_spring_example?client_reference_id=");

        // 3. The visitor pays 1.00: Stripe delivers a signed checkout.session.completed.
        String event = STRIPE.paidCheckout(reference, 100);
        HttpResponse<String> webhook = http.send(HttpRequest.newBuilder(uri("/stripe-webhook"))
                .header("Stripe-Signature", STRIPE.signature(event))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri("/stripe-webhook"))
                .header("Stripe-Signature", "t=1,v1=00")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(400);

        // 4. Four fortunes at 25 cents each are served and charged; the fifth is declined.
        for (long balance = 75; balance >= 0; balance -= 25) {
            HttpResponse<String> paid = get("/fortune", token);
            assertThat(paid.statusCode()).isEqualTo(200);
            assertThat(paid.body()).contains("paid answer");
            assertThat(paid.headers().firstValue("X-Balance")).contains(Long.toString(balance));
        }
        HttpResponse<String> declined = get("/fortune", token);
        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(declined.body()).doesNotContain("paid answer").contains("\"balance\":0");

        // 5. /me: registered, balance 0.
        assertThat(get("/me", token).body()).contains("\"registered\":true").contains("\"balance\":0");

        // 6. The metrics, through Actuator.
        assertThat(count("/actuator/metrics/stripeflare.charges?tag=outcome:charged")).isEqualTo(4);
        assertThat(count("/actuator/metrics/stripeflare.charges?tag=outcome:insufficient_balance")).isEqualTo(1);
        assertThat(count("/actuator/metrics/stripeflare.charges?tag=outcome:not_registered")).isEqualTo(1);
        assertThat(count("/actuator/metrics/stripeflare.webhooks?tag=outcome:credited")).isEqualTo(1);
        assertThat(count("/actuator/metrics/stripeflare.webhooks?tag=outcome:rejected_signature")).isEqualTo(1);
        assertThat(count("/actuator/metrics/stripeflare.credits")).isEqualTo(100);
        assertThat(get("/actuator/metrics/stripeflare.charge.duration", null).body()).contains("TOTAL_TIME");
        HttpResponse<String> health = get("/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"stripeflare\":{").contains("\"status\":\"UP\"");
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Cookie", "access_token=" + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The COUNT measurement of an Actuator metrics answer. */
    private double count(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        Matcher value = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.E]+)").matcher(response.body());
        assertThat(value.find()).as(response.body()).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return matcher.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
