package dev.stripeflare.servlet;

import dev.stripeflare.http.PresentedToken;
import dev.stripeflare.http.TokenCookie;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access-token cookie of {@link FilterSettings} on a servlet request and response: the same
 * {@link TokenCookie} and {@link PresentedToken} a plain-JDK server uses, so both read and write
 * tokens alike.
 */
final class AccessTokenCookie {
    private final TokenCookie cookie;

    AccessTokenCookie(FilterSettings settings) {
        TokenCookie base = settings.developmentCookies() ? TokenCookie.development() : TokenCookie.production();
        this.cookie = settings.cookieDomain().map(base::withDomain).orElse(base);
    }

    /** The cookie's name under these settings. */
    String name() {
        return cookie.name();
    }

    /**
     * The token {@code request} presents, bearer first.
     *
     * @throws dev.stripeflare.http.MalformedAuthorizationException for a malformed bearer header
     */
    Optional<PresentedToken> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        List<Map.Entry<String, String>> pairs = new ArrayList<>(cookies == null ? 0 : cookies.length);
        if (cookies != null) {
            for (Cookie c : cookies) {
                pairs.add(new AbstractMap.SimpleImmutableEntry<>(c.getName(), c.getValue()));
            }
        }
        return PresentedToken.fromCookies(request.getHeader("Authorization"), pairs, cookie);
    }

    /** Adds the cookie for {@code token} to {@code response}, replacing none of its other cookies. */
    void set(HttpServletResponse response, String token) {
        response.addHeader("Set-Cookie", cookie.setCookieHeader(token));
    }

    /** Expires the pre-{@code __Host-} cookie, host-only and scoped to {@code requestHost}. */
    void expireLegacy(HttpServletResponse response, String requestHost) {
        for (String header : cookie.expireLegacyHeaders(requestHost)) {
            response.addHeader("Set-Cookie", header);
        }
    }
}
