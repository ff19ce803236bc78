package dev.stripeflare.examples.spring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe, played locally as the project's other tests play it: signed
 * {@code checkout.session.completed} events built from Stripe-shaped templates
 * ({@code t=…,v1=HMAC-SHA256(t.payload)}), and Stripe's API on 127.0.0.1 answering the
 * {@code GET /v1/payment_intents/{id}} a first payment makes.
 */
final class StripeStandIn implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> paymentIntents = new ConcurrentHashMap<>();
    private final AtomicInteger payments = new AtomicInteger();
    private final String signingSecret;

    StripeStandIn(String signingSecret) {
        this.signingSecret = signingSecret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/", this::serve);
        server.start();
    }

    URI apiBase() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A paid checkout of {@code amountCents} on the link carrying {@code clientReferenceId}, as Stripe sends it. */
    String paidCheckout(String clientReferenceId, long amountCents) {
        int n = payments.incrementAndGet();
        String paymentIntent = "pi_3SpringExample" + n;
        Map<String, String> values = Map.of(
                "EVENT_ID", "evt_1SpringExample" + n,
                "CREATED", Long.toString(Instant.now().getEpochSecond()),
                "SESSION_ID", "cs_test_SpringExample" + n,
                "CLIENT_REFERENCE_ID", clientReferenceId,
                "AMOUNT", Long.toString(amountCents),
                "PAYMENT_INTENT", paymentIntent,
                "CHARGE_ID", "ch_3SpringExample" + n,
                "EMAIL", "payer" + n + "@example.com",
                "NAME", "Spring Payer " + n,
                "FINGERPRINT", "SpringFingerprint" + n);
        paymentIntents.put(paymentIntent, render("payment_intent.json", values));
        return render("checkout.session.completed.json", values);
    }

    /** The {@code Stripe-Signature} header Stripe would send with {@code payload} now. */
    String signature(String payload) {
        long now = Instant.now().getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((now + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + now + ",v1=" + HexFormat.of().formatHex(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required on every Java platform", e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String json = path.startsWith("/v1/payment_intents/")
                    ? paymentIntents.get(path.substring("/v1/payment_intents/".length())) : null;
            byte[] body = (json != null ? json
                    : "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such object\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(json != null ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String render(String resource, Map<String, String> values) {
        String text;
        try (InputStream in = StripeStandIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalArgumentException(resource + " still has a placeholder after rendering");
        }
        return text;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
