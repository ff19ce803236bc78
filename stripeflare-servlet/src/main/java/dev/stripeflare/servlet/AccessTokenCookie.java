package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.regex.Pattern;

/**
 * Writes the {@code access_token} cookie (spec §2, step 5):
 * {@code access_token=<t>; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax}, plus {@code Secure}
 * and {@code Domain} unless the settings ask for development cookies. The header is written by
 * hand because {@code SameSite} has no portable setter before Servlet 6.0's attributes, and the
 * exact text matters to browsers.
 */
final class AccessTokenCookie {
    /** 400 days, the original's lifetime and the longest that browsers keep. */
    static final long MAX_AGE_SECONDS = 34_560_000L;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+");

    private final FilterSettings settings;

    AccessTokenCookie(FilterSettings settings) {
        this.settings = settings;
    }

    /** Adds the cookie for {@code token} to {@code response}, replacing none of its other cookies. */
    void set(HttpServletRequest request, HttpServletResponse response, String token) {
        response.addHeader("Set-Cookie", headerValue(request, token));
    }

    String headerValue(HttpServletRequest request, String token) {
        if (!PresentedToken.isToken68(token)) {
            // The wallet mints cookie-safe tokens; anything else is a wallet bug, not user input.
            throw new IllegalStateException("the wallet returned a token that is not cookie-safe");
        }
        StringBuilder cookie = new StringBuilder(160)
                .append(PresentedToken.COOKIE_NAME).append('=').append(token)
                .append("; Max-Age=").append(MAX_AGE_SECONDS)
                .append("; Path=/; HttpOnly; SameSite=Lax");
        if (!settings.developmentCookies()) {
            cookie.append("; Secure");
            String domain = settings.cookieDomain().orElse(request.getServerName());
            if (domain != null && HOST_NAME.matcher(domain).matches()) {
                cookie.append("; Domain=").append(domain);
            }
        }
        return cookie.toString();
    }
}
