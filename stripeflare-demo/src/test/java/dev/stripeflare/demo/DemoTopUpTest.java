package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole test-mode loop over real HTTP: the simulated checkout signs a real event, the
 * server's own webhook credits it, the paid action spends it, the token rotates.
 */
class DemoTopUpTest {
    @TempDir
    Path data;

    private DemoHarness demo;

    @BeforeEach
    void start() throws Exception {
        demo = DemoHarness.start(data);
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    private HttpResponse<String> pay(String paymentLink, long cents, String card) throws Exception {
        String reference = paymentLink.substring(paymentLink.indexOf("client_reference_id=") + "client_reference_id=".length());
        String form = "client_reference_id=" + reference + "&amount=" + cents + "&name=Ada+Lovelace"
                + "&email=" + URLEncoder.encode("ada@example.com", StandardCharsets.UTF_8)
                + "&card=" + URLEncoder.encode(card, StandardCharsets.UTF_8);
        return demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/simulated-checkout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    @Test
    void aSimulatedPaymentCreditsTheVisitorWhoThenSpendsOneCentPerAction() throws Exception {
        HttpResponse<String> page = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        HttpResponse<String> paid = pay(page.headers().firstValue("X-PaymentLink").orElseThrow(), 500, "4242 4242 4242 4242");
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(302);
        assertThat(paid.headers().firstValue("Location")).hasValue(demo.baseUri() + "/?topped_up=500");

        HttpResponse<String> after = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/?topped_up=500")).build());
        assertThat(after.body()).contains("Payment received", ">$5.00<", "id=\"email\">ada@example.com<");

        HttpResponse<String> action = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/api/paid"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(action.statusCode()).isEqualTo(200);
        assertThat(action.headers().firstValue("X-Price")).hasValue("1");
        assertThat(action.headers().firstValue("X-Balance")).hasValue("499");
        assertThat(action.headers().firstValue("Server-Timing").orElseThrow()).startsWith("stripeflare-charge;dur=");

        HttpResponse<String> rotated = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/rotate-token"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(rotated.statusCode()).isEqualTo(200);
        HttpResponse<String> me = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build());
        assertThat(me.body()).startsWith("{\"balance\":499,\"name\":\"Ada Lovelace\"").contains("\"registered\":true");
    }

    @Test
    void payingAgainWithTheSameCardFromAnotherBrowserLogsIntoTheSameAccount() throws Exception {
        HttpResponse<String> first = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        assertThat(pay(first.headers().firstValue("X-PaymentLink").orElseThrow(), 500, "4000 0000 0000 0077").statusCode())
                .isEqualTo(302);

        HttpClient otherBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> second = otherBrowser.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pay(second.headers().firstValue("X-PaymentLink").orElseThrow(), 100, "4000000000000077").statusCode())
                .isEqualTo(302);
        HttpResponse<String> me = otherBrowser.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.body()).startsWith("{\"balance\":600,");
    }

    @Test
    void aTamperedCheckoutFormCreditsNothing() throws Exception {
        HttpResponse<String> paid = pay(demo.baseUri() + "/x?client_reference_id=not-ours", 500, "4242424242424242");
        // A reference the wallet did not issue is acknowledged and ignored, as Stripe expects.
        assertThat(paid.statusCode()).isEqualTo(302);
        HttpResponse<String> me = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build());
        assertThat(me.body()).startsWith("{\"balance\":0,");
    }
}
