package dev.stripeflare.servlet;

import dev.stripeflare.Session;
import dev.stripeflare.http.MeBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /me}: the public user as JSON — {@code balance, name, email, verified_email,
 * card_fingerprint, client_reference_id, paymentLink, registered} — never the access token.
 * For a session the client does not hold (no token could be handed out), the reference and
 * link are null: a payment through them would reach a token nobody has.
 */
final class MeEndpoint {
    private MeEndpoint() {
    }

    static void handle(HttpServletRequest request, HttpServletResponse response, Session session, boolean held)
            throws IOException {
        if (!"GET".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "GET");
            return;
        }
        Answers.json(response, HttpServletResponse.SC_OK, MeBody.json(session, held));
    }
}
