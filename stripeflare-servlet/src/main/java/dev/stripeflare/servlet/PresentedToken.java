package dev.stripeflare.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access token a request presents, and where it came from: {@code Authorization: Bearer <t>}
 * if present, else the access-token cookie, else (during the {@code __Host-} migration) the
 * older plain cookie. Another {@code Authorization} scheme (Basic, say) belongs to the
 * application and is ignored.
 *
 * @param token  the presented token, token68-shaped (not yet authenticated: the wallet does that)
 * @param source where it came from
 */
record PresentedToken(String token, Source source) {
    /** Far longer than any token we mint; bounds what reaches the wallet. */
    static final int MAX_LENGTH = 512;
    private static final String BEARER = "bearer ";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]+");

    /** Where a token came from. */
    enum Source {
        /** {@code Authorization: Bearer}: sent deliberately, never ambient. */
        BEARER,
        /** The current access-token cookie. */
        COOKIE,
        /** The plain {@code access_token} cookie of before the {@code __Host-} prefix. */
        LEGACY_COOKIE
    }

    PresentedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
    }

    /**
     * The presented token, or empty when there is none (or the cookie holds something that can
     * never be a token: it counts as absent).
     *
     * @throws MalformedTokenException if an {@code Authorization: Bearer} header is malformed:
     *                                 an API client must learn of its mistake, not silently be
     *                                 given a fresh empty wallet
     */
    static Optional<PresentedToken> read(HttpServletRequest request, AccessTokenCookie cookie) {
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
            return Optional.of(new PresentedToken(token, Source.BEARER));
        }
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        Optional<PresentedToken> current = cookieValue(cookies, cookie.name()).map(t -> new PresentedToken(t, Source.COOKIE));
        if (current.isPresent()) {
            return current;
        }
        return cookie.legacyName().flatMap(name -> cookieValue(cookies, name))
                .map(t -> new PresentedToken(t, Source.LEGACY_COOKIE));
    }

    private static Optional<String> cookieValue(Cookie[] cookies, String name) {
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && isToken68(cookie.getValue())) {
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

    /** Whether {@code value} is a plain host name, safe inside a cookie attribute. */
    static boolean isHostName(String value) {
        return HOST_NAME.matcher(value).matches();
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    @Override
    public String toString() {
        return "PresentedToken[token=<redacted>, source=" + source + "]";
    }

    /** An {@code Authorization: Bearer} header that is not {@code Bearer <token68>}. */
    static final class MalformedTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedTokenException() {
            super("Malformed Authorization header: expected Bearer followed by a token", null, false, false);
        }
    }
}
