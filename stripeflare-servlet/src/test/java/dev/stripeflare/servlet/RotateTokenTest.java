package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /rotate-token} over real HTTP. */
class RotateTokenTest {
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void rotatingSetsANewCookieKeepsTheAccountAndRetiresTheOldToken() throws Exception {
        String old = harness.registeredUser(300);
        HttpResponse<String> response = harness.send(harness.request("/rotate-token")
                .header("Authorization", "Bearer " + old).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"rotated\":true}");
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("access_token=sf2_").doesNotContain(old);
        String replacement = setCookie.substring("access_token=".length(), setCookie.indexOf(';'));
        assertThat(response.body()).doesNotContain(replacement);
        assertThat(response.headers().firstValue("X-Balance")).hasValue("300");
        assertThat(response.headers().firstValue("X-PaymentLink")).hasValue(harness.wallet.paymentLink(replacement));

        assertThat(harness.wallet.lookupUser(old)).isEmpty();
        assertThat(harness.balance(replacement)).isEqualTo(300);
        // The browser's cookie jar now holds the new token, which opens the same account.
        assertThat(harness.get("/whoami").body()).contains("registered=true balance=300");
    }

    @Test
    void rotatingWithTheCookieWorksToo() throws Exception {
        String old = harness.registeredUser(1);
        HttpCookie cookie = new HttpCookie("access_token", old);
        cookie.setPath("/");
        cookie.setDomain(harness.base.getHost());   // as the jar files the Set-Cookie, so that it replaces this one
        cookie.setVersion(0);
        harness.cookies.getCookieStore().add(harness.base, cookie);
        HttpResponse<String> response = harness.post("/rotate-token", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(harness.get("/whoami").body()).contains("registered=true balance=1");
        assertThat(harness.wallet.lookupUser(old)).isEmpty();
    }

    @Test
    void aVisitorWithoutAccountGets401() throws Exception {
        HttpResponse<String> response = harness.post("/rotate-token", "");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"No registered user to rotate the token of\"}");
    }

    @Test
    void otherMethodsGet405() throws Exception {
        String token = harness.registeredUser(1);
        HttpResponse<String> response = harness.getWithBearer("/rotate-token", token);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(harness.wallet.lookupUser(token)).isPresent();
    }
}
