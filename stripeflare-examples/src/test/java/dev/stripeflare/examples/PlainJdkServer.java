package dev.stripeflare.examples;

// The README's plain-JDK server ("Without a servlet container"), compiled and run by
// PlainJdkServerTest against the test kit; the test also checks that the README holds exactly
// the code between the README markers.
// README-BEGIN plain-jdk
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.http.JsonWriter;
import dev.stripeflare.http.MalformedAuthorizationException;
import dev.stripeflare.http.MeBody;
import dev.stripeflare.http.PresentedToken;
import dev.stripeflare.http.TokenCookie;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

final class PlainJdkServer {
    private final Wallet wallet;
    private final TokenCookie cookie;   // TokenCookie.production(); .development() on plain-HTTP localhost

    PlainJdkServer(Wallet wallet, TokenCookie cookie) {
        this.wallet = wallet;
        this.cookie = cookie;
    }

    HttpServer start(int port, ExecutorService executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        // Never the default single thread: a webhook may wait on Stripe's API (stripeApiTimeout).
        server.setExecutor(executor);   // e.g. Executors.newFixedThreadPool(32)
        server.createContext("/stripe-webhook", exchange -> {
            try (exchange) {
                // Stripe's events are a few KiB; read at most 1 MiB, and the body exactly as sent.
                String body = new String(exchange.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
                WebhookResult result = wallet.handleWebhookPayload(body,
                        exchange.getRequestHeaders().getFirst("Stripe-Signature"));
                send(exchange, result.httpStatus(), new JsonWriter().field("message", result.message()).end());
            }
        });
        server.createContext("/me", withSession((exchange, session, held) ->
                send(exchange, 200, MeBody.json(session, held))));
        server.createContext("/report", withSession((exchange, session, held) -> {
            // Never charge a token minted for this request: no client holds it yet, and with
            // allowanceForVisitors each such charge would open an account with a fresh allowance.
            ChargeResult charge = session.isNew() ? ChargeResult.notRegistered()
                    : wallet.charge(ChargeRequest.of(session.accessToken(), 25));
            if (!charge.charged()) {   // INSUFFICIENT_BALANCE or NOT_REGISTERED
                send(exchange, 402, new JsonWriter().field("error", "payment required")
                        .field("paymentLink", held ? Optional.of(session.paymentLink()) : Optional.empty()).end());
                return;
            }
            send(exchange, 200, new JsonWriter().field("report", "…").field("balance", charge.balanceCents()).end());
        }));
        server.start();
        return server;
    }

    interface SessionHandler {
        void handle(HttpExchange exchange, Session session, boolean held) throws IOException;
    }

    /** Resolves the caller's token (bearer or cookie) and hands a new one out on a same-site GET. */
    private HttpHandler withSession(SessionHandler handler) {
        return exchange -> {
            try (exchange) {
                Headers headers = exchange.getRequestHeaders();
                Optional<PresentedToken> presented;
                try {
                    presented = PresentedToken.fromHeaders(headers.getFirst("Authorization"), headers.get("Cookie"), cookie);
                } catch (MalformedAuthorizationException e) {
                    send(exchange, 400, new JsonWriter().field("error", e.getMessage()).end());
                    return;
                }
                Session session = wallet.session(presented.map(PresentedToken::token).orElse(null));
                // A new token only on a GET that is not cross-site: a third-party form POST must
                // not replace the user's cookie. Never echo a token the client already holds.
                boolean handOut = session.isNew() && "GET".equals(exchange.getRequestMethod())
                        && !"cross-site".equals(headers.getFirst("Sec-Fetch-Site"));
                if (handOut) {
                    exchange.getResponseHeaders().add("Set-Cookie", cookie.setCookieHeader(session.accessToken()));
                    exchange.getResponseHeaders().set("Cache-Control", "private");
                }
                handler.handle(exchange, session, !session.isNew() || handOut);
            }
        };
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
// README-END plain-jdk
