package dev.stripeflare.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the two Stripe API calls login-by-payment makes ({@code GET /v1/payment_intents/{id}}
 * and {@code GET /v1/charges/{id}}) on 127.0.0.1, so the example runs without Stripe's servers.
 */
final class LocalStripeApi implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> objects = new ConcurrentHashMap<>();

    LocalStripeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::serve);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes {@code GET /v1/{collection}/{id}} answer {@code json}. */
    void put(String collection, String id, String json) {
        objects.put("/v1/" + collection + "/" + id, json);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String json = objects.get(exchange.getRequestURI().getPath());
        byte[] body = (json != null ? json
                : "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such object\"}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(json != null ? 200 : 404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
