package dev.stripeflare.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the access token a request presents: {@code Authorization: Bearer <t>} if present, else
 * the {@code access_token} cookie (spec §2, step 1). Another {@code Authorization} scheme (Basic,
 * say) belongs to the application and is ignored.
 */
final class PresentedToken {
    static final String COOKIE_NAME = "access_token";
    /** Far longer than any token we mint; bounds what reaches the wallet. */
    static final int MAX_LENGTH = 512;
    private static final String BEARER = "bearer ";

    private PresentedToken() {
    }

    /**
     * The presented token, or empty when there is none (or the cookie holds something that can
     * never be a token: the wallet then mints a new one, which replaces the cookie).
     *
     * @throws MalformedTokenException if an {@code Authorization: Bearer} header is malformed:
     *                                 an API client must learn of its mistake, not silently be
     *                                 given a fresh empty wallet
     */
    static Optional<String> read(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length() - 1)) {
            if (authorization.length() < BEARER.length()
                    || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                throw new MalformedTokenException();
            }
            String token = authorization.substring(BEARER.length()).strip();
            if (!isToken68(token)) {
                throw new MalformedTokenException();
            }
            return Optional.of(token);
        }
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE_NAME.equals(cookie.getName()) && isToken68(cookie.getValue())) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** RFC 7235 token68: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    static boolean isToken68(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        int i = 0;
        while (i < value.length() && isToken68Char(value.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < value.length() && value.charAt(i) == '=') {
            i++;
        }
        return i == value.length();
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    /** An {@code Authorization: Bearer} header that is not {@code Bearer <token68>}. */
    static final class MalformedTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedTokenException() {
            super("Malformed Authorization header: expected Bearer followed by a token", null, false, false);
        }
    }
}
