package dev.stripeflare.servlet;

import dev.stripeflare.Session;
import dev.stripeflare.http.PresentedToken;
import java.util.Objects;
import java.util.Optional;

/**
 * What one response tells the client about its token (ADR 19). The cookie is sent only when
 * the token changes — minted, replacing a forged or unknown one, rotated, or moved to the
 * {@code __Host-} name — never as an echo, so a slow response cannot put back a token that a
 * concurrent rotation retired. A new token is handed out only on a safe method ({@code GET},
 * {@code HEAD}) that did not come from another site: a cross-site form POST arrives without the
 * {@code SameSite=Lax} cookie and must not replace the one the browser holds.
 *
 * @param token              the session's token
 * @param setCookie          whether this response sets the cookie to {@code token}
 * @param expireLegacyCookie whether it also expires the plain {@code access_token} cookie
 * @param held               whether the client holds {@code token} after this response (it
 *                           presented it, or receives it now); when false the session is
 *                           ephemeral and its Payment Link is not advertised
 */
record TokenDelivery(String token, boolean setCookie, boolean expireLegacyCookie, boolean held) {
    TokenDelivery {
        Objects.requireNonNull(token, "token");
    }

    static TokenDelivery decide(Session session, Optional<PresentedToken> presented, RequestSite site, String method) {
        boolean mayHandOut = site != RequestSite.CROSS_SITE && ("GET".equals(method) || "HEAD".equals(method));
        boolean fromLegacyCookie = presented.map(p -> p.source() == PresentedToken.Source.LEGACY_COOKIE).orElse(false);
        if (session.isNew()) {
            return new TokenDelivery(session.accessToken(), mayHandOut, mayHandOut && fromLegacyCookie, mayHandOut);
        }
        boolean move = mayHandOut && fromLegacyCookie;
        return new TokenDelivery(session.accessToken(), move, move, true);
    }

    /** The delivery of a rotation's {@code replacement}: always sent, and the legacy cookie expired if it was used. */
    TokenDelivery rotatedTo(String replacement, Optional<PresentedToken> presented) {
        boolean fromLegacyCookie = presented.map(p -> p.source() == PresentedToken.Source.LEGACY_COOKIE).orElse(false);
        return new TokenDelivery(replacement, true, fromLegacyCookie, true);
    }

    @Override
    public String toString() {
        return "TokenDelivery[token=<redacted>, setCookie=" + setCookie + ", expireLegacyCookie="
                + expireLegacyCookie + ", held=" + held + "]";
    }
}
