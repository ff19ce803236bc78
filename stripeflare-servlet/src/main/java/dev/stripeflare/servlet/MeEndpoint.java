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
        Optional<User> user = session.user();
        Answers.json(response, HttpServletResponse.SC_OK, new JsonWriter()
                .field("balance", session.balanceCents())
                .field("name", user.flatMap(User::name))
                .field("email", user.flatMap(User::email))
                .field("verified_email", user.flatMap(User::verifiedEmail))
                .field("card_fingerprint", user.flatMap(User::cardFingerprint))
                .field("client_reference_id", held ? Optional.of(session.clientReferenceId()) : Optional.empty())
                .field("paymentLink", held ? Optional.of(session.paymentLink()) : Optional.empty())
                .field("registered", session.registered())
                .end());
    }
}
