package dev.stripeflare.servlet;

import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.store.memory.InMemoryUserStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 on a random loopback port, running {@link StripeflareFilter} over a real
 * wallet (core + in-memory store) in front of a few application servlets, and a real
 * {@link HttpClient} with a cookie jar.
 */
final class JettyHarness implements AutoCloseable {
    static final String PAYMENT_LINK = "https://buy.stripe.com/test_harness";

    final InMemoryUserStore store = new InMemoryUserStore();
    final Wallet wallet;
    final Server server;
    final URI base;
    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    final HttpClient client;
    private final AtomicLong operations = new AtomicLong();

    JettyHarness(FilterSettings settings) throws Exception {
        this(settings, UnaryOperator.identity());
    }

    /** {@code decorate} may wrap the wallet the filter sees (e.g. to record webhook calls). */
    JettyHarness(FilterSettings settings, UnaryOperator<Wallet> decorate) throws Exception {
        this(settings, decorate, context -> { }, new Server());
    }

    /**
     * {@code servlets} may add servlets before the application's catch-all; {@code server} may be
     * one with a particular thread pool.
     */
    JettyHarness(FilterSettings settings, UnaryOperator<Wallet> decorate, Consumer<ServletContextHandler> servlets,
                 Server server) throws Exception {
        this(settings, decorate, servlets, server, UnaryOperator.identity());
    }

    /** {@code walletSettings} adds to the wallet's builder (e.g. allowances). */
    JettyHarness(FilterSettings settings, UnaryOperator<Wallet> decorate, Consumer<ServletContextHandler> servlets,
                 Server server, UnaryOperator<Stripeflare.Builder> walletSettings) throws Exception {
        wallet = walletSettings.apply(Stripeflare.builder()
                .userStore(store)
                .dbSecret("0123456789abcdef0123456789abcdef-harness")
                .webhookSigningSecret("whsec_harness")
                .stripeSecretKey("sk_test_harness")
                .paymentLink(PAYMENT_LINK)
                .loginByPayment(true))   // the checkout-return tests exercise it
                .build();
        this.server = server;
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder filter = new FilterHolder(new StripeflareFilter(decorate.apply(wallet), settings));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        servlets.accept(context);
        ServletHolder app = new ServletHolder(new AppServlet());
        app.setAsyncSupported(true);
        context.addServlet(app, "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A token of a registered user with {@code balanceCents}, credited straight into the store. */
    String registeredUser(long balanceCents) {
        String token = wallet.session(null).accessToken();
        long n = operations.incrementAndGet();
        store.credit(new PaymentCredit("harness-" + n, tokenHash(token), balanceCents,
                null, new PaymentProfile("Ada \"Countess\" Lovelace", "ada@example.com", null, "fp_" + n),
                null, null, null, Instant.parse("2026-01-01T00:00:00Z")));
        return token;
    }

    /**
     * A second device of {@code account}'s owner: a fresh token that pays {@code cents} and is
     * linked to that account, as login by payment does.
     */
    String secondDevice(String account, long cents) {
        String token = wallet.session(null).accessToken();
        String card = wallet.lookupUser(account).orElseThrow().cardFingerprint().orElseThrow();
        String checkout = "cs_harness_" + operations.incrementAndGet();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        // Its browser returned from the checkout first, so the credit links it.
        store.claimCheckout(new CheckoutClaim(checkout, tokenHash(token), at, at.plusSeconds(3_600)));
        store.credit(new PaymentCredit("checkout:" + checkout, tokenHash(token), cents, null,
                new PaymentProfile("Ada \"Countess\" Lovelace", "ada@example.com", null, card),
                checkout, at.plusSeconds(3_600), null, at));
        return token;
    }

    long balance(String token) {
        return wallet.lookupUser(token).orElseThrow().balanceCents();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    HttpResponse<String> getWithBearer(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    static String tokenHash(String token) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            wallet.close();
        }
    }

    /**
     * The application behind the filter. {@code /free}: no price. {@code /paid?price=N}: sets
     * {@code X-Price: N} (before or after writing, as {@code order} says). {@code /priced-by-header}: the price from {@code X-Test-Price}. {@code /paid-error}:
     * a price on a 500. {@code /guarded}: answers 402 itself below 10 cents. {@code /whoami}:
     * what the session says. {@code /flushing}: flushes before setting the price.
     */
    static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            StripeflareSession session = StripeflareSession.of(request);
            response.setContentType("text/plain;charset=utf-8");
            switch (request.getRequestURI()) {
                case "/free" -> response.getWriter().write("free content");
                case "/paid" -> {
                    response.setHeader("X-Price", request.getParameter("price"));
                    response.getWriter().write("paid content");
                }
                case "/priced-by-header" -> {
                    response.setHeader("X-Price", request.getHeader("X-Test-Price"));
                    response.getOutputStream().write("paid content".getBytes(StandardCharsets.UTF_8));
                }
                case "/flushing" -> {
                    response.setIntHeader("X-Price", 5);
                    response.getWriter().write("paid content");
                    response.flushBuffer();
                }
                case "/priced-after-flush" -> {
                    response.getWriter().write("paid content");
                    response.flushBuffer();
                    response.setIntHeader("X-Price", 5);
                }
                case "/paid-error" -> {
                    response.setHeader("X-Price", "5");
                    response.sendError(500, "broken");
                }
                case "/guarded" -> {
                    if (session.balanceCents() < 10) {
                        PaymentRequired.send(request, response);
                        return;
                    }
                    response.getWriter().write("guarded content");
                }
                case "/whoami" -> response.getWriter().write("registered=" + session.registered()
                        + " balance=" + session.balanceCents()
                        + " name=" + session.user().flatMap(u -> u.name()).orElse("-"));
                default -> response.sendError(404);
            }
        }
    }
}
