package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token resolution, the cookie round trip, bearer tokens and {@code GET /me}, over real HTTP. */
class SessionAndCookieTest {
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development());
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private String accessTokenCookie() {
        List<HttpCookie> cookies = harness.cookies.getCookieStore().getCookies();
        return cookies.stream().filter(c -> c.getName().equals("access_token"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
    }

    @Test
    void aFirstVisitGetsATokenCookieThatLaterRequestsSendBack() throws Exception {
        HttpResponse<String> first = harness.get("/free");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("free content");
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("access_token=sf2_")
                .contains("; Max-Age=34560000", "; Path=/", "; HttpOnly", "; SameSite=Lax")
                .doesNotContain("Secure", "Domain");
        String token = accessTokenCookie();

        HttpResponse<String> second = harness.get("/free");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(accessTokenCookie()).isEqualTo(token);
    }

    @Test
    void everyResponseCarriesBalanceAndPaymentLink() throws Exception {
        HttpResponse<String> response = harness.get("/free");
        assertThat(response.headers().firstValue("X-Balance")).hasValue("0");
        assertThat(response.headers().firstValue("X-PaymentLink").orElseThrow())
                .startsWith(JettyHarness.PAYMENT_LINK + "?client_reference_id=");
    }

    @Test
    void theCookieOfARegisteredUserOpensTheirAccount() throws Exception {
        String token = harness.registeredUser(250);
        harness.cookies.getCookieStore().add(harness.base, cookie(token));
        HttpResponse<String> response = harness.get("/whoami");
        assertThat(response.body()).isEqualTo("registered=true balance=250 name=Ada \"Countess\" Lovelace");
        assertThat(response.headers().firstValue("X-Balance")).hasValue("250");
    }

    @Test
    void aBearerTokenWinsOverTheCookie() throws Exception {
        String cookieUser = harness.registeredUser(1);
        String bearerUser = harness.registeredUser(77);
        harness.cookies.getCookieStore().add(harness.base, cookie(cookieUser));
        HttpResponse<String> response = harness.getWithBearer("/whoami", bearerUser);
        assertThat(response.body()).contains("balance=77");
    }

    @Test
    void aMalformedBearerHeaderIs400WithAShortMessage() throws Exception {
        for (String header : List.of("Bearer", "Bearer ", "Bearer a b", "Bearer <script>", "Bearerx abc")) {
            HttpResponse<String> response = harness.send(harness.request("/free").header("Authorization", header).build());
            assertThat(response.statusCode()).as(header).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"Malformed Authorization header: expected Bearer followed by a token\"}");
        }
    }

    @Test
    void anotherAuthorizationSchemeIsLeftToTheApplication() throws Exception {
        HttpResponse<String> response = harness.send(harness.request("/free")
                .header("Authorization", "Basic dXNlcjpwYXNz").build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aGarbageCookieIsReplacedByANewToken() throws Exception {
        HttpResponse<String> response = harness.send(harness.request("/free").header("Cookie", "access_token=nonsense").build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("access_token=sf2_");
    }

    @Test
    void meShowsThePublicUserAndNeverTheToken() throws Exception {
        String token = harness.registeredUser(420);
        HttpResponse<String> response = harness.getWithBearer("/me", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        String reference = harness.wallet.session(token).clientReferenceId();
        assertThat(response.body()).isEqualTo("{\"balance\":420,\"name\":\"Ada \\\"Countess\\\" Lovelace\","
                + "\"email\":\"ada@example.com\",\"verified_email\":null,\"card_fingerprint\":\"fp_1\","
                + "\"client_reference_id\":\"" + reference + "\",\"paymentLink\":\""
                + harness.wallet.paymentLink(token) + "\",\"registered\":true}");
        assertThat(response.body()).doesNotContain(token);
    }

    @Test
    void meForAVisitorIsUnregisteredWithZeroBalance() throws Exception {
        HttpResponse<String> response = harness.get("/me");
        assertThat(response.body()).startsWith("{\"balance\":0,\"name\":null,\"email\":null,")
                .endsWith(",\"registered\":false}");
        assertThat(response.body()).doesNotContain(accessTokenCookie());
    }

    @Test
    void meAcceptsOnlyGet() throws Exception {
        HttpResponse<String> response = harness.post("/me", "");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void productionCookiesAreHostPrefixedSecureAndWithoutDomain() throws Exception {
        try (JettyHarness production = new JettyHarness(FilterSettings.production())) {
            String setCookie = production.get("/free").headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("__Host-access_token=sf2_")
                    .endsWith("; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax; Secure")
                    .doesNotContain("Domain");
        }
        try (JettyHarness production = new JettyHarness(FilterSettings.production().withCookieDomain("example.com"))) {
            String setCookie = production.get("/free").headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("access_token=")
                    .endsWith("; Path=/; HttpOnly; SameSite=Lax; Secure; Domain=example.com");
        }
    }

    @Test
    void aPrefixMovesTheEndpointsAndLeavesTheOldPathsToTheApplication() throws Exception {
        try (JettyHarness prefixed = new JettyHarness(FilterSettings.development().withPathPrefix("/wallet"))) {
            assertThat(prefixed.get("/wallet/me").body()).startsWith("{\"balance\":0");
            assertThat(prefixed.get("/me").statusCode()).isEqualTo(404);
        }
    }

    private static HttpCookie cookie(String token) {
        HttpCookie cookie = new HttpCookie("access_token", token);
        cookie.setPath("/");
        cookie.setVersion(0);
        return cookie;
    }
}
