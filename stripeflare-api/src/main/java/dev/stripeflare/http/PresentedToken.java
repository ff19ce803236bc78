package dev.stripeflare.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The access token a request presents, and where it came from: {@code Authorization: Bearer <t>}
 * if present, else the access-token cookie, else (during the {@code __Host-} migration) the
 * older plain cookie. Another {@code Authorization} scheme (Basic, say) belongs to the application
 * and is ignored. The token is not yet authenticated: {@link dev.stripeflare.Wallet#session} does
 * that, and treats a token it never minted as absent.
 *
 * <p>Reading never fails on cookies: a value that can never be a token (too long, not token68)
 * counts as absent, and of several cookies with the name the first that can be a token wins.
 * Header values of any size are scanned once; nothing longer than {@link #MAX_LENGTH} is kept.
 *
 * @param token  the presented token, token68-shaped, at most {@link #MAX_LENGTH} characters
 * @param source where it came from
 */
public record PresentedToken(String token, Source source) {
    /** Far longer than any token a wallet mints; bounds what reaches the wallet. */
    public static final int MAX_LENGTH = 512;
    private static final String BEARER = "bearer ";

    /** Where a token came from. */
    public enum Source {
        /** {@code Authorization: Bearer}: sent deliberately, never ambient. */
        BEARER,
        /** The current access-token cookie. */
        COOKIE,
        /** The plain {@code access_token} cookie of before the {@code __Host-} prefix. */
        LEGACY_COOKIE
    }

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if {@code token} is not token68 of at most {@link #MAX_LENGTH}
     *
     * @param token  the presented token, token68-shaped, at most {@link #MAX_LENGTH} characters
     * @param source where it came from
     */
    public PresentedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
        if (!isToken68(token)) {
            throw new IllegalArgumentException("not a token");
        }
    }

    /**
     * The token of a request given its raw headers, as the JDK's {@code HttpServer} and most
     * non-servlet servers hand them over.
     *
     * @param authorization the {@code Authorization} header, or null when absent
     * @param cookieHeaders every {@code Cookie} header of the request ({@code name=value; …}), or
     *                      null or empty when there is none
     * @param cookie        which cookie holds the token
     * @return the presented token, or empty when there is none
     * @throws MalformedAuthorizationException if an {@code Authorization: Bearer} header is malformed
     */
    public static Optional<PresentedToken> fromHeaders(String authorization, List<String> cookieHeaders,
                                                       TokenCookie cookie) {
        Objects.requireNonNull(cookie, "cookie");
        Optional<PresentedToken> bearer = bearer(authorization);
        if (bearer.isPresent()) {
            return bearer;
        }
        List<Map.Entry<String, String>> cookies = new ArrayList<>();
        if (cookieHeaders != null) {
            for (String header : cookieHeaders) {
                parseCookieHeader(header, cookie, cookies);
            }
        }
        return fromCookies(null, cookies, cookie);
    }

    /**
     * The token of a request whose server has already parsed its cookies (a servlet container's
     * {@code getCookies()}), in the order the request sent them.
     *
     * @param authorization the {@code Authorization} header, or null when absent
     * @param cookies       the request's cookies as name and value (a null value counts as absent)
     * @param cookie        which cookie holds the token
     * @return the presented token, or empty when there is none
     * @throws MalformedAuthorizationException if an {@code Authorization: Bearer} header is malformed
     */
    public static Optional<PresentedToken> fromCookies(String authorization, List<Map.Entry<String, String>> cookies,
                                                       TokenCookie cookie) {
        Objects.requireNonNull(cookies, "cookies");
        Objects.requireNonNull(cookie, "cookie");
        Optional<PresentedToken> bearer = bearer(authorization);
        if (bearer.isPresent()) {
            return bearer;
        }
        Optional<PresentedToken> current = cookieValue(cookies, cookie.name()).map(t -> new PresentedToken(t, Source.COOKIE));
        if (current.isPresent()) {
            return current;
        }
        return cookie.legacyName().flatMap(name -> cookieValue(cookies, name))
                .map(t -> new PresentedToken(t, Source.LEGACY_COOKIE));
    }

    private static Optional<PresentedToken> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length() - 1)) {
            return Optional.empty();
        }
        if (authorization.length() < BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            throw new MalformedAuthorizationException();
        }
        String token = authorization.substring(BEARER.length()).strip();
        if (!isToken68(token)) {
            throw new MalformedAuthorizationException();
        }
        return Optional.of(new PresentedToken(token, Source.BEARER));
    }

    /** Adds the pairs of one {@code Cookie} header whose names {@code cookie} reads (RFC 6265 §4.2.1). */
    private static void parseCookieHeader(String header, TokenCookie cookie, List<Map.Entry<String, String>> into) {
        if (header == null) {
            return;
        }
        int start = 0;
        while (start < header.length()) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = header.length();
            }
            int equals = header.indexOf('=', start);
            if (equals > start && equals < end) {
                String name = header.substring(start, equals).strip();
                if (name.equals(cookie.name()) || cookie.legacyName().filter(name::equals).isPresent()) {
                    String value = end - equals - 1 > MAX_LENGTH + 2 ? "" : header.substring(equals + 1, end).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    into.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
                }
            }
            start = end + 1;
        }
    }

    private static Optional<String> cookieValue(List<Map.Entry<String, String>> cookies, String name) {
        for (Map.Entry<String, String> cookie : cookies) {
            if (name.equals(cookie.getKey()) && isToken68(cookie.getValue())) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code value} is RFC 7235 token68 of at most {@link #MAX_LENGTH} characters:
     * {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}.
     *
     * @param value any text, or null
     * @return true if it can be a token
     */
    public static boolean isToken68(String value) {
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

    /** Says where the token came from, never the token. */
    @Override
    public String toString() {
        return "PresentedToken[token=<redacted>, source=" + source + "]";
    }
}
