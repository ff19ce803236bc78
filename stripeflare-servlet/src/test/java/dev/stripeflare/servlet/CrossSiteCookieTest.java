package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, items 1, 4, 5 and the cache part of 8, on a real Jetty. Root causes: the filter
 * minted and set a cookie on every request that arrived without one — including a cross-site
 * form POST, which a {@code SameSite=Lax} browser sends without the cookie — and echoed the
 * presented token on every response, so a slow response put back a token a rotation had retired
 * and a planted token was confirmed. The cookie now changes only when the token does, only on
 * requests that prove they are same-site, and new tokens are minted only on safe methods.
 */
class CrossSiteCookieTest {
    private final CountDownLatch slowMayFinish = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    /** No cookie jar: every test states the cookies a browser would send. */
    private final HttpClient browserless = HttpClient.newHttpClient();
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development(), UnaryOperator.identity(), context -> {
            context.addServlet(new ServletHolder(new SlowServlet()), "/slow");
            context.addServlet(new ServletHolder(new CacheableServlet()), "/cacheable");
        }, new Server());
    }

    @AfterEach
    void stop() {
        slowMayFinish.countDown();
        harness.close();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = harness.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return browserless.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCrossSiteFormPostWithoutTheCookieSetsNoCookie() throws Exception {
        for (String path : List.of("/free", "/rotate-token", "/me", "/paid?price=1")) {
            HttpResponse<String> response = send("POST", path, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate");
            assertThat(response.headers().allValues("Set-Cookie")).as(path).isEmpty();
        }
    }

    @Test
    void aCrossSitePostToRotateTokenIs403AndRotatesNothing() throws Exception {
        String token = harness.registeredUser(500);
        HttpResponse<String> response = send("POST", "/rotate-token", "Cookie", "access_token=" + token,
                "Sec-Fetch-Site", "cross-site");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(harness.balance(token)).isEqualTo(500);
    }

    @Test
    void withoutFetchMetadataAnOriginOfAnotherHostIsCrossSite() throws Exception {
        String token = harness.registeredUser(500);
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1")) {
            HttpResponse<String> response = send("POST", "/rotate-token", "Cookie", "access_token=" + token,
                    "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
        }
        assertThat(harness.wallet.lookupUser(token)).isPresent();
    }

    @Test
    void aSameOriginRotationStillWorks() throws Exception {
        String token = harness.registeredUser(500);
        HttpResponse<String> byOrigin = send("POST", "/rotate-token", "Cookie", "access_token=" + token,
                "Origin", harness.base.toString());
        assertThat(byOrigin.statusCode()).isEqualTo(200);
        String rotated = cookieValue(byOrigin);
        HttpResponse<String> byFetchMetadata = send("POST", "/rotate-token", "Cookie", "access_token=" + rotated,
                "Sec-Fetch-Site", "same-origin");
        assertThat(byFetchMetadata.statusCode()).isEqualTo(200);
        assertThat(harness.balance(cookieValue(byFetchMetadata))).isEqualTo(500);
    }

    @Test
    void aBearerClientMayRotateFromAnotherSite() throws Exception {
        String token = harness.registeredUser(500);
        HttpResponse<String> response = send("POST", "/rotate-token", "Authorization", "Bearer " + token,
                "Sec-Fetch-Site", "cross-site");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aCrossSiteTopLevelNavigationUsesTheCookieItCarriesAndSetsNone() throws Exception {
        // Like the return from a Stripe Payment Link: SameSite=Lax sends the cookie along.
        String token = harness.registeredUser(500);
        HttpResponse<String> response = send("GET", "/whoami?session_id=cs_test_1", "Cookie", "access_token=" + token,
                "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("registered=true balance=500");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aCrossSiteGetWithoutACookieMintsNone() throws Exception {
        HttpResponse<String> response = send("GET", "/free", "Sec-Fetch-Site", "cross-site");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(response.headers().firstValue("X-PaymentLink")).isEmpty();
    }

    @Test
    void meWithoutATokenTheClientHoldsShowsNoPaymentLink() throws Exception {
        HttpResponse<String> response = send("GET", "/me", "Sec-Fetch-Site", "cross-site");
        assertThat(response.body()).contains("\"client_reference_id\":null,\"paymentLink\":null");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aCrossSitePostToAPricedPageWithoutACookieOffersNoPaymentLink() throws Exception {
        HttpResponse<String> response = send("POST", "/paid?price=1", "Sec-Fetch-Site", "cross-site");
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(response.body()).endsWith("\"paymentLink\":null}");
        assertThat(response.headers().firstValue("X-PaymentLink")).isEmpty();
    }

    @Test
    void aSameSiteNavigationMintsButASameSitePostDoesNot() throws Exception {
        assertThat(send("GET", "/free", "Sec-Fetch-Site", "none").headers().allValues("Set-Cookie")).hasSize(1);
        assertThat(send("GET", "/free", "Sec-Fetch-Site", "same-origin").headers().allValues("Set-Cookie")).hasSize(1);
        assertThat(send("POST", "/free", "Sec-Fetch-Site", "same-origin").headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aPresentedTokenIsNeverEchoed() throws Exception {
        String token = harness.registeredUser(500);
        HttpResponse<String> response = send("GET", "/free", "Cookie", "access_token=" + token, "Sec-Fetch-Site", "none");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(response.headers().firstValue("X-Balance")).hasValue("500");
    }

    @Test
    void aResponseInFlightDoesNotPutBackATokenARotationRetired() throws Exception {
        String token = harness.registeredUser(500);
        CompletableFuture<HttpResponse<String>> slow = browserless.sendAsync(harness.request("/slow")
                .header("Cookie", "access_token=" + token).header("Sec-Fetch-Site", "same-origin").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> rotation = send("POST", "/rotate-token", "Cookie", "access_token=" + token,
                "Sec-Fetch-Site", "same-origin");
        assertThat(rotation.statusCode()).isEqualTo(200);
        slowMayFinish.countDown();

        HttpResponse<String> late = slow.get(10, TimeUnit.SECONDS);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(late.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(harness.wallet.lookupUser(token)).isEmpty();
    }

    @Test
    void aForgedTokenIsReplacedOnASameSiteNavigationAndNeverOpensAnAccount() throws Exception {
        for (String forged : List.of("sf2_" + "A".repeat(64), "sf_" + "A".repeat(43), "anything-at-all")) {
            HttpResponse<String> response = send("GET", "/whoami", "Cookie", "access_token=" + forged,
                    "Sec-Fetch-Site", "same-origin");
            assertThat(response.body()).as(forged).startsWith("registered=false balance=0");
            String replacement = cookieValue(response);
            assertThat(replacement).as(forged).startsWith("sf2_").isNotEqualTo(forged);
        }
    }

    @Test
    void aForgedTokenOnACrossSiteRequestIsNeitherUsedNorReplaced() throws Exception {
        HttpResponse<String> response = send("POST", "/whoami", "Cookie", "access_token=sf2_" + "B".repeat(64),
                "Sec-Fetch-Site", "cross-site");
        assertThat(response.body()).startsWith("registered=false");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aCookieSetOnACacheableResponseMakesItPrivate() throws Exception {
        HttpResponse<String> response = send("GET", "/cacheable", "Sec-Fetch-Site", "none");
        assertThat(response.headers().allValues("Set-Cookie")).hasSize(1);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("private, max-age=600");

        String token = cookieValue(response);
        HttpResponse<String> again = send("GET", "/cacheable", "Cookie", "access_token=" + token);
        assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=600, s-maxage=600");
    }

    @Test
    void productionMovesAPreHostPrefixCookieToTheHostPrefixedName() throws Exception {
        try (JettyHarness production = new JettyHarness(FilterSettings.production())) {
            String token = production.registeredUser(42);
            HttpResponse<String> response = production.send(production.request("/whoami")
                    .header("Cookie", "access_token=" + token).header("Sec-Fetch-Site", "none").build());
            assertThat(response.body()).contains("balance=42");
            List<String> cookies = response.headers().allValues("Set-Cookie");
            assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("__Host-access_token=" + token + ";"))
                    .anySatisfy(c -> assertThat(c).startsWith("access_token=; Max-Age=0;"));

            HttpResponse<String> moved = production.send(production.request("/whoami")
                    .header("Cookie", "__Host-access_token=" + token).header("Sec-Fetch-Site", "none").build());
            assertThat(moved.body()).contains("balance=42");
            assertThat(moved.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    private static String cookieValue(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    /** Waits until the test lets it finish: a response still in flight during a rotation. */
    private final class SlowServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            slowStarted.countDown();
            try {
                slowMayFinish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.getWriter().write("slow content");
        }
    }

    /** A response the application marks cacheable by shared caches. */
    private static final class CacheableServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "public, max-age=600, s-maxage=600");
            response.getWriter().write("cacheable content");
        }
    }
}
