package dev.stripeflare.servlet;

import dev.stripeflare.Session;
import dev.stripeflare.StripeflareException;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.Wallet;
import dev.stripeflare.http.JsonWriter;
import dev.stripeflare.http.PresentedToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /rotate-token}: replaces the presented token with a new one, which reaches the
 * client only in the {@code Set-Cookie} header, never in the body. 405 for other methods, 403
 * for a cross-site request that does not carry a bearer token (a third-party page's form post:
 * the cookie is left alone), 401 without a registered user, 503 (old token still valid) when
 * the store fails.
 */
final class RotateTokenEndpoint {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    private final Wallet wallet;
    private final WalletHeaders headers;

    RotateTokenEndpoint(Wallet wallet, WalletHeaders headers) {
        this.wallet = wallet;
        this.headers = headers;
    }

    void handle(HttpServletRequest request, HttpServletResponse response, Session session, TokenDelivery delivery,
                Optional<PresentedToken> presented, RequestSite site) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
            Answers.methodNotAllowed(response, "POST");
            return;
        }
        boolean bearer = presented.map(p -> p.source() == PresentedToken.Source.BEARER).orElse(false);
        if (site == RequestSite.CROSS_SITE && !bearer) {
            Answers.error(response, HttpServletResponse.SC_FORBIDDEN, "Cross-site requests cannot rotate a token");
            return;
        }
        if (!session.registered()) {
            headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
            Answers.error(response, HttpServletResponse.SC_UNAUTHORIZED, "No registered user to rotate the token of");
            return;
        }
        String replacement;
        try {
            replacement = wallet.rotateToken(session.accessToken());
        } catch (UnknownTokenException e) {
            // Rotated away by a concurrent request since the session was resolved.
            headers.set(request, response, delivery, 0, session.paymentLink());
            Answers.error(response, HttpServletResponse.SC_UNAUTHORIZED, "No registered user to rotate the token of");
            return;
        } catch (StripeflareException e) {
            // The store failed and rolled back: the old token still works.
            LOG.log(System.Logger.Level.ERROR, "token rotation failed: " + e.getClass().getName());
            headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Could not rotate the token; try again");
            return;
        }
        headers.set(request, response, delivery.rotatedTo(replacement, presented), session.balanceCents(),
                wallet.paymentLink(replacement));
        Answers.json(response, HttpServletResponse.SC_OK, new JsonWriter().field("rotated", true).end());
    }
}
