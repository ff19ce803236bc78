package dev.stripeflare.servlet;

import dev.stripeflare.Session;
import dev.stripeflare.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /me}: the public user as JSON — {@code balance, name, email, verified_email,
 * card_fingerprint, client_reference_id, paymentLink, registered} — never the access token.
 */
final class MeEndpoint {
    private MeEndpoint() {
    }

    static void handle(HttpServletRequest request, HttpServletResponse response, Session session)
            throws IOException {
        if (!"GET".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "GET");
            return;
        }
        Optional<User> user = session.user();
        Answers.json(response, HttpServletResponse.SC_OK, new JsonWriter()
                .field("balance", session.balanceCents())
                .field("name", user.flatMap(User::name))
                .field("email", user.flatMap(User::email))
                .field("verified_email", user.flatMap(User::verifiedEmail))
                .field("card_fingerprint", user.flatMap(User::cardFingerprint))
                .field("client_reference_id", session.clientReferenceId())
                .field("paymentLink", session.paymentLink())
                .field("registered", session.registered())
                .end());
    }
}
