package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stripeflare.Wallet;
import dev.stripeflare.http.TokenCookie;
import dev.stripeflare.test.Payer;
import dev.stripeflare.test.SignedEvent;
import dev.stripeflare.test.StripeTestKit;
import dev.stripeflare.test.TestPayment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the README's plain-JDK server ({@link PlainJdkServer}) against the test kit, through a real HTTP client. */
class PlainJdkServerTest {
    private final StripeTestKit stripe = StripeTestKit.start();
    private final Wallet wallet = stripe.wallet();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newHttpClient();

    PlainJdkServerTest() throws Exception {
        server = new PlainJdkServer(wallet, TokenCookie.production()).start(0, executor);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void close() {
        server.stop(0);
        executor.shutdownNow();
        wallet.close();
        stripe.close();
    }

    @Test
    void aVisitorGetsACookieTopsUpThroughASignedWebhookAndPaysPerRequest() throws Exception {
        HttpResponse<String> me = get("/me", null);
        assertThat(me.statusCode()).isEqualTo(200);
        String setCookie = me.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("__Host-access_token=").endsWith("; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(me.headers().firstValue("Cache-Control")).hasValue("private");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(me.body()).contains("\"registered\":false", "\"paymentLink\":\"https://buy.stripe.com/");

        assertThat(get("/report", cookie).statusCode()).isEqualTo(402);

        TestPayment payment = stripe.pay(field(me.body(), "client_reference_id"), 500, Payer.ADA);
        SignedEvent event = stripe.checkoutCompleted(payment);
        HttpResponse<String> webhook = client.send(HttpRequest.newBuilder(base.resolve("/stripe-webhook"))
                .header("Stripe-Signature", event.signature())
                .POST(HttpRequest.BodyPublishers.ofString(event.payload(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).isEqualTo(200);

        HttpResponse<String> report = get("/report", cookie);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"balance\":475");
        assertThat(report.headers().firstValue("Set-Cookie")).isEmpty();   // never an echo
        String token = cookie.substring(cookie.indexOf('=') + 1);
        HttpResponse<String> byBearer = client.send(HttpRequest.newBuilder(base.resolve("/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byBearer.body()).contains("\"balance\":475", "\"registered\":true").doesNotContain(token);
    }

    @Test
    void abuseIsAnsweredWithoutChargingOrHandingOutTokens() throws Exception {
        HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(base.resolve("/report"))
                .header("Authorization", "Bearer not a token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> crossSite = client.send(HttpRequest.newBuilder(base.resolve("/me"))
                .header("Sec-Fetch-Site", "cross-site").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(crossSite.body()).contains("\"paymentLink\":null");

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/report"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(402);
        assertThat(post.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> forged = get("/me", "__Host-access_token=forged_but_token68");
        assertThat(forged.body()).contains("\"registered\":false");
        assertThat(forged.headers().firstValue("Set-Cookie")).isPresent();   // replaced by a real one

        HttpResponse<String> unsigned = client.send(HttpRequest.newBuilder(base.resolve("/stripe-webhook"))
                .header("Stripe-Signature", "t=1,v1=00")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(server.getExecutor()).isSameAs(executor);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return matcher.group(1);
    }
}
