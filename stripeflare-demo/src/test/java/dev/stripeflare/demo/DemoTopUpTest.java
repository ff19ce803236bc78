package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
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
        return pay(demo::send, paymentLink, cents, card);
    }

    @Test
    void aSimulatedPaymentCreditsTheVisitorWhoThenSpendsOneCentPerAction() throws Exception {
        HttpResponse<String> page = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        HttpResponse<String> paid = pay(page.headers().firstValue("X-PaymentLink").orElseThrow(), 500, "4242 4242 4242 4242");
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(302);
        String returnUrl = paid.headers().firstValue("Location").orElseThrow();
        assertThat(returnUrl).matches(Pattern.quote(demo.baseUri() + "/checkout-return?session_id=cs_test_kit")
                + "[A-Za-z0-9]{16}");

        HttpResponse<String> returned = follow(demo::send, paid);
        assertThat(returned.statusCode()).isEqualTo(303);
        assertThat(returned.headers().firstValue("Location")).hasValue("/?checkout=already_linked");
        HttpResponse<String> after = follow(demo::send, returned);
        assertThat(after.body()).contains("Payment received", ">$5.00<", "id=\"email\">ada@example.com<");

        HttpResponse<String> action = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/api/paid"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(action.statusCode()).isEqualTo(200);
        assertThat(action.headers().firstValue("X-Price")).hasValue("1");
        assertThat(action.headers().firstValue("X-Balance")).hasValue("502");
        assertThat(action.headers().firstValue("Server-Timing").orElseThrow()).startsWith("stripeflare-charge;dur=");

        HttpResponse<String> rotated = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/rotate-token"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(rotated.statusCode()).isEqualTo(200);
        HttpResponse<String> me = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build());
        assertThat(me.body()).startsWith("{\"balance\":502,\"name\":\"Ada Lovelace\"").contains("\"registered\":true");
    }

    /** Sends a GET to the response's {@code Location}, as a browser following a redirect does. */
    private HttpResponse<String> follow(Send browser, HttpResponse<String> redirect) throws Exception {
        URI location = demo.baseUri().resolve(redirect.headers().firstValue("Location").orElseThrow());
        return browser.send(HttpRequest.newBuilder(location).build());
    }

    /** One browser: its own cookie jar. */
    private interface Send {
        HttpResponse<String> send(HttpRequest request) throws Exception;
    }

    private static Send newBrowser() {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        return request -> client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> pay(Send browser, String paymentLink, long cents, String card) throws Exception {
        String reference = paymentLink.substring(paymentLink.indexOf("client_reference_id=") + "client_reference_id=".length());
        String form = "client_reference_id=" + reference + "&amount=" + cents + "&name=Ada+Lovelace"
                + "&email=" + URLEncoder.encode("ada@example.com", StandardCharsets.UTF_8)
                + "&card=" + URLEncoder.encode(card, StandardCharsets.UTF_8);
        return browser.send(HttpRequest.newBuilder(demo.baseUri().resolve("/simulated-checkout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    @Test
    void payingAgainWithTheSameCardFromAnotherBrowserLogsIntoTheSameAccountWhenItReturns() throws Exception {
        HttpResponse<String> first = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        HttpResponse<String> firstPaid = pay(first.headers().firstValue("X-PaymentLink").orElseThrow(), 500,
                "4000 0000 0000 0077");
        assertThat(firstPaid.statusCode()).isEqualTo(302);
        // The first browser comes back from its checkout, which makes the card known to be its owner's.
        assertThat(follow(demo::send, firstPaid).headers().firstValue("Location")).hasValue("/?checkout=already_linked");

        Send otherBrowser = newBrowser();
        HttpResponse<String> second = otherBrowser.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        HttpResponse<String> paid = pay(otherBrowser, second.headers().firstValue("X-PaymentLink").orElseThrow(), 100,
                "4000000000000077");
        assertThat(paid.statusCode()).isEqualTo(302);
        HttpResponse<String> returned = follow(otherBrowser, paid);
        assertThat(returned.headers().firstValue("Location")).hasValue("/?checkout=linked");
        assertThat(follow(otherBrowser, returned).body()).contains("now signed in", ">$6.00<");

        HttpResponse<String> me = otherBrowser.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build());
        assertThat(me.body()).startsWith("{\"balance\":600,");
    }

    /**
     * Issue 9 item 3 in the demo: an attacker sends the payment link of their fresh browser to a
     * victim who already has an account; the victim pays it with their card. The money lands in
     * the victim's account, the victim's browser returns to its own account, the attacker's
     * browser opens nothing (it never sees the checkout's return URL, which only the payer's
     * browser is sent to).
     */
    @Test
    void aPaymentLinkSentToSomeoneElseHandsTheAttackerNothing() throws Exception {
        HttpResponse<String> victimsPage = demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build());
        HttpResponse<String> victimPaid = pay(victimsPage.headers().firstValue("X-PaymentLink").orElseThrow(), 500,
                "4000 0000 0000 0077");
        follow(demo::send, victimPaid);
        Send attacker = newBrowser();
        String attackersLink = attacker.send(HttpRequest.newBuilder(demo.baseUri().resolve("/")).build())
                .headers().firstValue("X-PaymentLink").orElseThrow();

        HttpResponse<String> paid = pay(demo::send, attackersLink, 2000, "4000 0000 0000 0077");
        HttpResponse<String> victimReturns = follow(demo::send, paid);

        assertThat(victimReturns.headers().firstValue("Location")).hasValue("/?checkout=already_linked");
        assertThat(demo.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build()).body())
                .startsWith("{\"balance\":2500,");
        assertThat(attacker.send(HttpRequest.newBuilder(demo.baseUri().resolve("/me")).build()).body())
                .startsWith("{\"balance\":0,").contains("\"registered\":false");
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
