package dev.stripeflare.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names and writes the access-token cookie. In production it is
 * {@code __Host-access_token=<t>; Max-Age=34560000; Path=/; HttpOnly; SameSite=Lax; Secure}: the
 * {@code __Host-} prefix makes browsers refuse it unless it is {@code Secure}, has {@code Path=/}
 * and no {@code Domain}, so a sibling subdomain can neither plant nor overwrite it. Development
 * cookies (plain HTTP on localhost) are a plain {@code access_token} without {@code Secure}; with a
 * {@link #withDomain domain} it is a plain {@code access_token} with that {@code Domain}. The
 * header is written by hand because the exact text matters to browsers. Immutable and thread-safe.
 *
 * <p>Hand a token out only when it changes (a {@link dev.stripeflare.Session#isNew() new} session,
 * a rotation), never as an echo, and only on a {@code GET} or {@code HEAD} that did not come from
 * another site (README, "Cookies"); mark such a response {@code Cache-Control: private}.
 */
public final class TokenCookie {
    /** 400 days, the original's lifetime and the longest that browsers keep. */
    public static final long MAX_AGE_SECONDS = 34_560_000L;
    /** The cookie's name in development and with a domain. */
    public static final String PLAIN_NAME = "access_token";
    /** The cookie's name in production without a domain. */
    public static final String HOST_PREFIXED_NAME = "__Host-access_token";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    private final boolean development;
    private final Optional<String> domain;
    private final String name;

    private TokenCookie(boolean development, Optional<String> domain) {
        this.development = development;
        this.domain = domain;
        this.name = development || domain.isPresent() ? PLAIN_NAME : HOST_PREFIXED_NAME;
    }

    /**
     * The production cookie: {@code __Host-access_token}, {@code Secure}. Serve over HTTPS.
     *
     * @return the production cookie
     */
    public static TokenCookie production() {
        return new TokenCookie(false, Optional.empty());
    }

    /**
     * The plain-HTTP localhost cookie: {@code access_token} without {@code Secure}.
     *
     * @return the development cookie
     */
    public static TokenCookie development() {
        return new TokenCookie(true, Optional.empty());
    }

    /**
     * This cookie shared with every host under {@code domain} (a plain {@code access_token} with
     * {@code Domain}); ignored in development. Every host the domain covers can read and overwrite
     * it: use it only for a domain whose every subdomain you control.
     *
     * @param domain a host name
     * @return the cookie with that domain
     * @throws IllegalArgumentException if {@code domain} is not a plain host name
     */
    public TokenCookie withDomain(String domain) {
        if (!isHostName(Objects.requireNonNull(domain, "domain"))) {
            throw new IllegalArgumentException("a cookie domain must be a host name, was " + domain);
        }
        return new TokenCookie(development, Optional.of(domain));
    }

    /**
     * The cookie's name under these settings.
     *
     * @return {@link #HOST_PREFIXED_NAME} or {@link #PLAIN_NAME}
     */
    public String name() {
        return name;
    }

    /**
     * The older cookie name still read (and moved to {@link #name()}) during the migration to
     * {@code __Host-}, or empty when the name did not change.
     *
     * @return the legacy name, if any
     */
    public Optional<String> legacyName() {
        return name.equals(PLAIN_NAME) ? Optional.empty() : Optional.of(PLAIN_NAME);
    }

    /**
     * The {@code Set-Cookie} header value that hands {@code token} out.
     *
     * @param token a token the wallet minted ({@link dev.stripeflare.Session#accessToken()})
     * @return the header value
     * @throws IllegalStateException if {@code token} is not cookie-safe (the wallet mints only
     *                               cookie-safe tokens: a bug, not user input)
     */
    public String setCookieHeader(String token) {
        if (!PresentedToken.isToken68(token)) {
            throw new IllegalStateException("the wallet returned a token that is not cookie-safe");
        }
        StringBuilder cookie = new StringBuilder(160)
                .append(name).append('=').append(token)
                .append("; Max-Age=").append(MAX_AGE_SECONDS)
                .append("; Path=/; HttpOnly; SameSite=Lax");
        if (!development) {
            cookie.append("; Secure");
            domain.ifPresent(d -> cookie.append("; Domain=").append(d));
        }
        return cookie.toString();
    }

    /**
     * The {@code Set-Cookie} header values that expire the pre-{@code __Host-} cookie, which used
     * to be scoped to the request's host with {@code Domain}: both that and the host-only variant.
     *
     * @param requestHost the host the request was sent to, or null
     * @return one or two header values
     */
    public List<String> expireLegacyHeaders(String requestHost) {
        String expired = PLAIN_NAME + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure";
        List<String> headers = new ArrayList<>(2);
        headers.add(expired);
        if (requestHost != null && isHostName(requestHost)) {
            headers.add(expired + "; Domain=" + requestHost);
        }
        return headers;
    }

    private static boolean isHostName(String value) {
        return HOST_NAME.matcher(value).matches();
    }

    /** Names the cookie's settings. */
    @Override
    public String toString() {
        return "TokenCookie[name=" + name + ", development=" + development + ", domain=" + domain.orElse("-") + "]";
    }
}
