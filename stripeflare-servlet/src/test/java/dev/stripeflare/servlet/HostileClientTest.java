package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 10's commit-time charging, as a paying client who wants what was priced without
 * paying for it, on a real Jetty.
 */
class HostileClientTest {
    private final PricedServlets servlets = new PricedServlets();
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development(), UnaryOperator.identity(), context -> {
            servlets.register(context);
            context.addServlet(new ServletHolder(new PublicPage()), "/public");
        }, new Server());
    }

    @AfterEach
    void stop() {
        servlets.close();
        harness.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        return harness.send(harness.request(path).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * A priced redirect delivers what was priced in its {@code Location} (a signed download URL,
     * say), not in its body: {@code HEAD} runs {@code doGet} and receives the same
     * {@code Location}, so it must be charged like {@code GET} — or refused with 402 when the
     * balance is too low.
     */
    @Test
    void headOfAPricedRedirectDoesNotRevealItsLocationForFree() throws Exception {
        String rich = harness.registeredUser(10);
        HttpResponse<String> head = send("HEAD", "/redirect?price=5", rich);
        if (head.headers().firstValue("Location").isPresent()) {
            assertThat(harness.balance(rich)).as("a HEAD that received the priced Location").isEqualTo(5);
        }

        String poor = harness.registeredUser(1);
        HttpResponse<String> declined = send("HEAD", "/redirect?price=5", poor);
        assertThat(declined.headers().firstValue("Location")).as("Location without paying").isEmpty();
        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(harness.balance(poor)).isEqualTo(1);
    }

    /**
     * The application marks a page the same for everyone ({@code Cache-Control: public}); the
     * filter adds the requesting user's {@code X-PaymentLink} and {@code X-Balance} to it. A shared
     * cache (a CDN) then serves user A's payment link to user B, and B's top-up funds A's wallet.
     * Whatever the fix (no per-user headers on a shared-cacheable response, or {@code private}),
     * a response carrying a user's payment link must not be storable by a shared cache.
     */
    @Test
    void aSharedCacheIsNeverHandedOneUsersPaymentLink() throws Exception {
        String token = harness.registeredUser(10);
        HttpResponse<String> response = harness.getWithBearer("/public", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("the same for everyone");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(response.headers().firstValue(StripeflareFilter.PAYMENT_LINK_HEADER)).isEmpty();
        assertThat(response.headers().firstValue(StripeflareFilter.BALANCE_HEADER)).isEmpty();
    }

    /** A page the application declares cacheable by anyone for an hour. */
    static final class PublicPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "public, max-age=3600");
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write("the same for everyone");
        }
    }

    /**
     * Issue 10 item 4 in the {@code __Host-} migration: a same-site {@code GET} presenting the
     * plain {@code access_token} cookie is answered with the token "moved" to
     * {@code __Host-access_token}. Decided when the request starts, it is sent when the response
     * commits — after a concurrent {@code /rotate-token} of that browser has retired the token, so
     * the browser ends with the retired token and loses its wallet.
     */
    @Disabled("defect: a slow response moving a plain cookie to __Host- re-sets a token that a concurrent rotation retired (issue 10 item 4 in the migration path)")
    @Test
    void aSlowMigrationResponseDoesNotPutBackATokenRotatedMeanwhile() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FilterSettings production = FilterSettings.production();
        try (JettyHarness prod = new JettyHarness(production, UnaryOperator.identity(),
                context -> context.addServlet(new ServletHolder(new SlowPage(entered, release)), "/slow"), new Server())) {
            String token = prod.registeredUser(100);
            HttpClient browser = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> slow = browser.sendAsync(prod.request("/slow")
                    .header("Cookie", "access_token=" + token).header("Sec-Fetch-Site", "same-origin").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> rotated = browser.send(prod.request(production.rotateTokenPath())
                    .header("Cookie", "access_token=" + token).header("Sec-Fetch-Site", "same-origin")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rotated.statusCode()).isEqualTo(200);
            assertThat(prod.wallet.lookupUser(token)).as("the old token is retired").isEmpty();
            release.countDown();

            HttpResponse<String> late = slow.get(10, TimeUnit.SECONDS);
            assertThat(late.statusCode()).isEqualTo(200);
            assertThat(late.headers().allValues("Set-Cookie")).as("Set-Cookie of the slow response")
                    .noneMatch(cookie -> cookie.startsWith("__Host-access_token=" + token));
        } finally {
            release.countDown();
        }
    }

    /** Waits for the test before answering. */
    static final class SlowPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch entered;
        private final transient CountDownLatch release;

        SlowPage(CountDownLatch entered, CountDownLatch release) {
            this.entered = entered;
            this.release = release;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("not released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write("slow page");
        }
    }
}
