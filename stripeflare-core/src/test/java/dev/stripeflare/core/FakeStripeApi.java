package dev.stripeflare.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stripe's API played by a real HTTP server on 127.0.0.1, so stripe-java's real client, auth
 * header and JSON parsing run. Serves PaymentIntents (with {@code latest_charge} expanded when
 * asked), Charges and refund lists from the fixtures; records every request; and fails on demand.
 */
final class FakeStripeApi implements AutoCloseable {
    /**
     * One request as the server saw it; {@code query} is URL-decoded; {@code stripeAccount} is the
     * {@code Stripe-Account} header (Connect), null when absent.
     */
    record Request(String method, String path, String query, String authorization, String stripeAccount) {
    }

    /** What the next request gets instead of a normal answer. */
    enum Failure { SERVER_ERROR, SLOW, MALFORMED_BODY }

    private static final String CARD_CHARGE = StripeJson.load("charge.card.json").json();
    private static final String LINK_CHARGE = StripeJson.load("charge.link.json").json();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();
    private final Map<String, String> chargeByIntent = new ConcurrentHashMap<>();
    private final Map<String, String> chargeById = new ConcurrentHashMap<>();
    private final Map<String, String> refundsByCharge = new ConcurrentHashMap<>();
    private final Map<String, Answer> fixedAnswers = new ConcurrentHashMap<>();

    /** A fixed answer to every request for one path. */
    private record Answer(int status, String json) {
    }

    FakeStripeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void failNext(Failure failure) {
        failures.add(failure);
    }

    /** {@code paymentIntentId}'s latest charge is a card payment with this fingerprint. */
    void cardPayment(String paymentIntentId, String fingerprint) {
        chargeByIntent.put(paymentIntentId, CARD_CHARGE
                .replace(StripeJson.PAYMENT_INTENT, paymentIntentId)
                .replace(StripeJson.CARD_FINGERPRINT, fingerprint));
    }

    /** {@code paymentIntentId}'s latest charge is a Link payment (no card fingerprint). */
    void linkPayment(String paymentIntentId) {
        chargeByIntent.put(paymentIntentId, LINK_CHARGE.replace(StripeJson.PAYMENT_INTENT, paymentIntentId));
    }

    /** {@code GET /v1/charges/{chargeId}} answers this charge JSON. */
    void charge(String chargeId, String json) {
        chargeById.put(chargeId, json);
    }

    /** Every request for {@code path} (e.g. {@code /v1/balance}) answers {@code status} with {@code json}. */
    void answer(String path, int status, String json) {
        fixedAnswers.put(path, new Answer(status, json));
    }

    /** {@code GET /v1/refunds?charge={chargeId}} answers this list JSON. */
    void refunds(String chargeId, String listJson) {
        refundsByCharge.put(chargeId, listJson);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String query = rawQuery == null ? "" : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), path, query,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Stripe-Account")));
            Failure failure = failures.poll();
            if (failure == Failure.SERVER_ERROR) {
                answer(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"An unknown error occurred\"}}");
                return;
            }
            if (failure == Failure.MALFORMED_BODY) {
                answer(exchange, 200, "{\"id\": \"pi_truncated\", \"object\": \"payment_intent\", \"amount\": ");
                return;
            }
            if (failure == Failure.SLOW) {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            route(exchange, path, query);
        }
    }

    private void route(HttpExchange exchange, String path, String query) throws IOException {
        Answer fixed = fixedAnswers.get(path);
        if (fixed != null) {
            answer(exchange, fixed.status(), fixed.json());
        } else if (path.startsWith("/v1/payment_intents/")) {
            String id = path.substring("/v1/payment_intents/".length());
            String charge = chargeByIntent.getOrDefault(id, CARD_CHARGE.replace(StripeJson.PAYMENT_INTENT, id));
            String intent = StripeJson.load("payment_intent.json").replace(StripeJson.PAYMENT_INTENT, id).json();
            if (query.contains("expand[0]=latest_charge")) {
                intent = intent.replace("\"latest_charge\": \"" + StripeJson.CARD_CHARGE + "\"", "\"latest_charge\": " + charge);
            }
            answer(exchange, 200, intent);
        } else if (path.startsWith("/v1/charges/") && chargeById.containsKey(path.substring("/v1/charges/".length()))) {
            answer(exchange, 200, chargeById.get(path.substring("/v1/charges/".length())));
        } else if (path.equals("/v1/refunds") && parameter(query, "charge") != null) {
            String charge = parameter(query, "charge");
            answer(exchange, 200, refundsByCharge.getOrDefault(charge,
                    "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"/v1/refunds\"}"));
        } else {
            answer(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such resource\"}}");
        }
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
