package dev.stripeflare.http;

import dev.stripeflare.Session;
import dev.stripeflare.User;
import java.util.Optional;

/**
 * The {@code GET /me} answer: the public user as one JSON object — {@code balance, name, email,
 * verified_email, card_fingerprint, client_reference_id, paymentLink, registered} — never the
 * access token. Strings are escaped so the body is also safe inside HTML.
 */
public final class MeBody {
    private MeBody() {
    }

    /**
     * The JSON body for {@code session}.
     *
     * @param session the request's session
     * @param held    whether the client holds the session's token after this response (it presented
     *                it, or receives it in this response's cookie); when false the reference and
     *                link are null, since a payment through them would reach a token nobody has
     * @return the JSON text
     */
    public static String json(Session session, boolean held) {
        Optional<User> user = session.user();
        return new JsonWriter()
                .field("balance", session.balanceCents())
                .field("name", user.flatMap(User::name))
                .field("email", user.flatMap(User::email))
                .field("verified_email", user.flatMap(User::verifiedEmail))
                .field("card_fingerprint", user.flatMap(User::cardFingerprint))
                .field("client_reference_id", held ? Optional.of(session.clientReferenceId()) : Optional.empty())
                .field("paymentLink", held ? Optional.of(session.paymentLink()) : Optional.empty())
                .field("registered", session.registered())
                .end();
    }
}
