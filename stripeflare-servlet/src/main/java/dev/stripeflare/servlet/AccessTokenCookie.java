package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * Names and writes the access-token cookie. In production it is
 * {@code __Host-access_token=<t>; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax; Secure}: the
 * {@code __Host-} prefix makes browsers refuse it unless it is {@code Secure}, has {@code Path=/}
 * and no {@code Domain}, so a sibling subdomain can neither plant nor overwrite it. Development
 * cookies are a plain {@code access_token} without {@code Secure}; with a configured
 * {@link FilterSettings#cookieDomain()} it is a plain {@code access_token} with that
 * {@code Domain}. The header is written by hand because the exact text matters to browsers.
 */
final class AccessTokenCookie {
    /** 400 days, the original's lifetime and the longest that browsers keep. */
    static final long MAX_AGE_SECONDS = 34_560_000L;
    static final String PLAIN_NAME = "access_token";
    static final String HOST_NAME_PREFIXED = "__Host-access_token";

    private final FilterSettings settings;
    private final String name;

    AccessTokenCookie(FilterSettings settings) {
        this.settings = settings;
        this.name = settings.developmentCookies() || settings.cookieDomain().isPresent()
                ? PLAIN_NAME : HOST_NAME_PREFIXED;
    }

    /** The cookie's name under these settings. */
    String name() {
        return name;
    }

    /**
     * The older cookie name still read (and moved to {@link #name()}) during the migration to
     * {@code __Host-}, or empty when the name did not change.
     */
    Optional<String> legacyName() {
        return name.equals(PLAIN_NAME) ? Optional.empty() : Optional.of(PLAIN_NAME);
    }

    /** Adds the cookie for {@code token} to {@code response}, replacing none of its other cookies. */
    void set(HttpServletResponse response, String token) {
        response.addHeader("Set-Cookie", headerValue(token));
    }

    /**
     * Expires the pre-{@code __Host-} cookie, which the filter used to scope to the request's host
     * with {@code Domain}: both that and the host-only variant are expired.
     */
    void expireLegacy(HttpServletResponse response, String requestHost) {
        String expired = PLAIN_NAME + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure";
        response.addHeader("Set-Cookie", expired);
        if (requestHost != null && PresentedToken.isHostName(requestHost)) {
            response.addHeader("Set-Cookie", expired + "; Domain=" + requestHost);
        }
    }

    String headerValue(String token) {
        if (!PresentedToken.isToken68(token)) {
            // The wallet mints cookie-safe tokens; anything else is a wallet bug, not user input.
            throw new IllegalStateException("the wallet returned a token that is not cookie-safe");
        }
        StringBuilder cookie = new StringBuilder(160)
                .append(name).append('=').append(token)
                .append("; Max-Age=").append(MAX_AGE_SECONDS)
                .append("; Path=/; HttpOnly; SameSite=Lax");
        if (!settings.developmentCookies()) {
            cookie.append("; Secure");
            settings.cookieDomain().ifPresent(domain -> cookie.append("; Domain=").append(domain));
        }
        return cookie.toString();
    }
}
