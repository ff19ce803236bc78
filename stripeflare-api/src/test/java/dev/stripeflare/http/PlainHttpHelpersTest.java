package dev.stripeflare.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.Session;
import dev.stripeflare.User;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a presented token from raw headers, the cookie to set, and the /me body — and what an attacker sends. */
class PlainHttpHelpersTest {
    private static final String TOKEN = "sf1_AbCdEf0123456789-_.~+/xyz==";
    private static final TokenCookie PRODUCTION = TokenCookie.production();

    @Test
    void aBearerHeaderWinsOverTheCookie() {
        Optional<PresentedToken> token = PresentedToken.fromHeaders("Bearer " + TOKEN,
                List.of("__Host-access_token=other"), PRODUCTION);
        assertThat(token).hasValue(new PresentedToken(TOKEN, PresentedToken.Source.BEARER));
        assertThat(PresentedToken.fromHeaders("bEaReR   " + TOKEN + "  ", null, PRODUCTION).orElseThrow().token())
                .isEqualTo(TOKEN);
    }

    @Test
    void theCookieIsFoundAmongOthersInAnyCookieHeader() {
        assertThat(PresentedToken.fromHeaders(null, List.of("theme=dark", "a=1; __Host-access_token=" + TOKEN + "; b=2"),
                PRODUCTION)).hasValue(new PresentedToken(TOKEN, PresentedToken.Source.COOKIE));
        assertThat(PresentedToken.fromHeaders(null, List.of("__Host-access_token=\"" + TOKEN + "\""), PRODUCTION)
                .orElseThrow().token()).isEqualTo(TOKEN);
        assertThat(PresentedToken.fromHeaders(null, List.of("access_token=" + TOKEN), PRODUCTION))
                .hasValue(new PresentedToken(TOKEN, PresentedToken.Source.LEGACY_COOKIE));
        assertThat(PresentedToken.fromHeaders(null, List.of("access_token=" + TOKEN), TokenCookie.development()))
                .hasValue(new PresentedToken(TOKEN, PresentedToken.Source.COOKIE));
        assertThat(PresentedToken.fromHeaders(null, null, PRODUCTION)).isEmpty();
        assertThat(PresentedToken.fromHeaders("Basic dXNlcjpwYXNz", List.of(), PRODUCTION)).isEmpty();
    }

    @Test
    void ofTwoCookiesWithTheNameTheFirstThatCanBeATokenWins() {
        assertThat(PresentedToken.fromHeaders(null, List.of("__Host-access_token=first; __Host-access_token=second"),
                PRODUCTION).orElseThrow().token()).isEqualTo("first");
        assertThat(PresentedToken.fromHeaders(null, List.of("__Host-access_token=<script>; __Host-access_token=second"),
                PRODUCTION).orElseThrow().token()).isEqualTo("second");
    }

    @Test
    void malformedBearerHeadersAreRefusedWithoutEchoingThem() {
        for (String header : List.of("Bearer", "Bearer ", "Bearer a b", "Bearer <x>", "Bearer\t" + TOKEN,
                "Bearer " + "a".repeat(PresentedToken.MAX_LENGTH + 1), "Bearer =abc", "Bearer tok\u00e9n")) {
            assertThatThrownBy(() -> PresentedToken.fromHeaders(header, List.of("__Host-access_token=" + TOKEN), PRODUCTION))
                    .as(header).isInstanceOf(MalformedAuthorizationException.class)
                    .hasMessage(new MalformedAuthorizationException().getMessage());
        }
    }

    @Test
    void cookiesThatCanNeverBeATokenCountAsAbsent() {
        char[] huge = new char[1_000_000];
        Arrays.fill(huge, 'a');
        for (String header : List.of("__Host-access_token=" + new String(huge), "__Host-access_token=",
                "__Host-access_token", "=" + TOKEN, ";;;;", "__Host-access_token=a b", "__Host-access_token=\"",
                "__host-access_token=" + TOKEN, "x__Host-access_token=" + TOKEN, "__Host-access_token=" + TOKEN + "\u0000")) {
            assertThat(PresentedToken.fromHeaders(null, List.of(header), PRODUCTION)).as(header).isEmpty();
        }
        assertThatThrownBy(() -> new PresentedToken("a b", PresentedToken.Source.COOKIE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSetCookieValueCarriesTheRightAttributes() {
        assertThat(PRODUCTION.setCookieHeader(TOKEN)).isEqualTo("__Host-access_token=" + TOKEN
                + "; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(TokenCookie.development().setCookieHeader(TOKEN)).isEqualTo("access_token=" + TOKEN
                + "; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax");
        assertThat(PRODUCTION.withDomain("example.com").setCookieHeader(TOKEN)).isEqualTo("access_token=" + TOKEN
                + "; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax; Secure; Domain=example.com");
        assertThat(PRODUCTION.expireLegacyHeaders("evil.com; Domain=x")).hasSize(1);
        assertThat(PRODUCTION.expireLegacyHeaders("shop.example.com")).hasSize(2);
    }

    @Test
    void noHeaderCanBeInjectedThroughTheCookie() {
        assertThatThrownBy(() -> PRODUCTION.setCookieHeader("abc\r\nSet-Cookie: x=y"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PRODUCTION.withDomain("example.com; Secure=0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMeBodyShowsThePublicUserAndNeverTheToken() {
        User user = new User(7, 250, Optional.of("Ada </script>"), Optional.of("ada@example.com"), Optional.empty(),
                Optional.of("fp1"), "ref", Map.of());
        Session registered = new Session(TOKEN, Optional.of(user), "ref_1", "https://buy.stripe.com/x?client_reference_id=ref_1",
                true, false);
        String json = MeBody.json(registered, true);
        assertThat(json).startsWith("{\"balance\":250,\"name\":\"Ada \\u003c/script\\u003e\"")
                .contains("\"client_reference_id\":\"ref_1\"", "\"registered\":true")
                .doesNotContain(TOKEN);
        assertThat(MeBody.json(registered, false)).contains("\"client_reference_id\":null", "\"paymentLink\":null");
    }
}
