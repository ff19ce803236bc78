package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/**
 * Whether a request proves it comes from a page of this site (ADR 19). Browsers send
 * {@code Sec-Fetch-Site} on every request (Chromium 76+, Firefox 90+, Safari 16.4+), and
 * {@code Origin} on every cross-origin POST; neither can be forged by a web page.
 */
enum RequestSite {
    /** {@code Sec-Fetch-Site: same-origin | same-site | none}, or, without it, an {@code Origin} naming this host. */
    SAME_SITE,
    /** {@code Sec-Fetch-Site: cross-site} (or an unknown value), or, without it, an {@code Origin} naming another host or {@code null}. */
    CROSS_SITE,
    /** Neither header: not a browser (curl, an SDK, a server), which has no ambient cookie a third party could use. */
    UNKNOWN;

    static RequestSite of(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            return switch (fetchSite.strip().toLowerCase(Locale.ROOT)) {
                case "same-origin", "same-site", "none" -> SAME_SITE;
                default -> CROSS_SITE;
            };
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return UNKNOWN;
        }
        return namesThisHost(origin.strip(), request) ? SAME_SITE : CROSS_SITE;
    }

    private static boolean namesThisHost(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getRawAuthority() == null) {
            return false;
        }
        String host = request.getHeader("Host");
        return uri.getRawAuthority().equalsIgnoreCase(host) || uri.getHost().equalsIgnoreCase(request.getServerName())
                && (uri.getPort() == -1 || uri.getPort() == request.getServerPort());
    }
}
