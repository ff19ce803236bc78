package dev.stripeflare.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of Stripe's API a wallet reads, played by the JDK's HTTP server on 127.0.0.1 for the
 * kit's payments: {@code GET /v1/payment_intents/{id}} (with {@code latest_charge} expanded when
 * asked), {@code GET /v1/charges/{id}} and {@code GET /v1/refunds?charge=}. Anything else, an
 * unknown id or another API key answers as Stripe does (404, 401). Thread-safe.
 */
final class LocalStripeApi implements AutoCloseable {
    private static final String NOT_FOUND =
            "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such object\"}}";

    /** One refund of a payment. */
    record Refund(String id, long amountCents, Instant created) {
    }

    /** A payment and the refunds made of it so far, oldest first. */
    private record State(TestPayment payment, Instant created, List<Refund> refunds) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String secretKey;
    private final Map<String, State> byIntent = new ConcurrentHashMap<>();
    private final Map<String, String> intentByCharge = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    LocalStripeApi(String secretKey) {
        this.secretKey = secretKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the local Stripe API on 127.0.0.1", e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stripeflare-test-stripe-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void add(TestPayment payment, Instant created) {
        byIntent.put(payment.paymentIntentId(), new State(payment, created, new CopyOnWriteArrayList<>()));
        intentByCharge.put(payment.chargeId(), payment.paymentIntentId());
    }

    /** Records a refund of {@code payment}; returns every refund of it so far, this one last. */
    synchronized List<Refund> refund(TestPayment payment, Refund refund) {
        State state = state(payment);
        long refunded = state.refunds().stream().mapToLong(Refund::amountCents).sum();
        if (refund.amountCents() <= 0 || refund.amountCents() > payment.amountCents() - refunded) {
            throw new IllegalArgumentException("a refund is positive and at most what is left of the payment ("
                    + (payment.amountCents() - refunded) + "), was " + refund.amountCents());
        }
        state.refunds().add(refund);
        return List.copyOf(state.refunds());
    }

    void failNext(int count) {
        failures.addAndGet(count);
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The charge of {@code payment} as {@code GET /v1/charges/{id}} answers it, with its refunds. */
    String chargeJson(TestPayment payment) {
        State state = state(payment);
        List<Refund> refunds = List.copyOf(state.refunds());
        long refunded = refunds.stream().mapToLong(Refund::amountCents).sum();
        Map<String, String> values = values(payment, state.created());
        values.put("AMOUNT_REFUNDED", Long.toString(refunded));
        values.put("REFUNDED", Boolean.toString(refunded == payment.amountCents()));
        values.put("PAYMENT_METHOD_DETAILS", payment.payer().cardFingerprint()
                .map(fingerprint -> Json.render("payment_method.card.json", Map.of(
                        "AMOUNT", Long.toString(payment.amountCents()), "FINGERPRINT", Json.string(fingerprint))))
                .orElseGet(() -> Json.render("payment_method.link.json", Map.of())).strip());
        values.put("REFUNDS", refundList(payment, refunds, "/v1/charges/" + payment.chargeId() + "/refunds"));
        return Json.render("charge.json", values);
    }

    private String refundList(TestPayment payment, List<Refund> refunds, String url) {
        List<String> items = new ArrayList<>();
        for (Refund refund : refunds) {
            Map<String, String> values = values(payment, refund.created());
            values.put("REFUND_ID", Json.string(refund.id()));
            values.put("AMOUNT", Long.toString(refund.amountCents()));
            values.put("BALANCE_TRANSACTION", Json.string("txn_" + refund.id().substring("re_".length())));
            items.add(Json.render("refund.json", values).strip());
        }
        return "{\"object\": \"list\", \"data\": [" + String.join(", ", items) + "], \"has_more\": false, "
                + "\"total_count\": " + items.size() + ", \"url\": " + Json.string(url) + "}";
    }

    private String intentJson(TestPayment payment, boolean expandCharge) {
        State state = state(payment);
        Map<String, String> values = values(payment, state.created());
        values.put("PAYMENT_INTENT_ID", payment.paymentIntentId());
        values.put("LATEST_CHARGE", expandCharge ? chargeJson(payment).strip() : Json.string(payment.chargeId()));
        return Json.render("payment_intent.json", values);
    }

    /** The placeholders every template of {@code payment} shares. */
    static Map<String, String> values(TestPayment payment, Instant created) {
        Map<String, String> values = new HashMap<>();
        values.put("PAYMENT_INTENT", Json.string(payment.paymentIntentId()));
        values.put("CHARGE_ID", Json.string(payment.chargeId()));
        values.put("AMOUNT", Long.toString(payment.amountCents()));
        values.put("CURRENCY", Json.string(payment.currency()));
        values.put("CREATED", Long.toString(created.getEpochSecond()));
        values.put("EMAIL", Json.string(payment.payer().email()));
        values.put("NAME", Json.string(payment.payer().name()));
        return values;
    }

    private State state(TestPayment payment) {
        State state = byIntent.get(payment.paymentIntentId());
        if (state == null || !state.payment().equals(payment)) {
            throw new IllegalArgumentException("not a payment of this kit: " + payment.paymentIntentId());
        }
        return state;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String query = rawQuery == null ? "" : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + path + (query.isEmpty() ? "" : "?" + query));
            if (!("Bearer " + secretKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided\"}}");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"An unknown error occurred\"}}");
                return;
            }
            route(exchange, path, query);
        }
    }

    private void route(HttpExchange exchange, String path, String query) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            answer(exchange, 404, NOT_FOUND);
            return;
        }
        if (path.startsWith("/v1/payment_intents/")) {
            State state = byIntent.get(path.substring("/v1/payment_intents/".length()));
            if (state != null) {
                answer(exchange, 200, intentJson(state.payment(), query.contains("expand[0]=latest_charge")
                        || query.contains("expand[]=latest_charge")));
                return;
            }
        } else if (path.startsWith("/v1/charges/")) {
            String intent = intentByCharge.get(path.substring("/v1/charges/".length()));
            if (intent != null) {
                answer(exchange, 200, chargeJson(byIntent.get(intent).payment()));
                return;
            }
        } else if (path.equals("/v1/refunds")) {
            String intent = intentByCharge.get(parameter(query, "charge"));
            if (intent != null) {
                State state = byIntent.get(intent);
                answer(exchange, 200, refundList(state.payment(), List.copyOf(state.refunds()), "/v1/refunds"));
                return;
            }
        }
        answer(exchange, 404, NOT_FOUND);
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_stripeflare_test");
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
