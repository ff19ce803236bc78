package dev.stripeflare;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is making a request: the result of {@link Wallet#session(String)}.
 *
 * @param accessToken       the token to keep using (set it as the cookie); may be newly minted
 * @param user              the account the token opens, or empty for a visitor whose token opens
 *                          none yet (nothing about them is stored)
 * @param clientReferenceId the encrypted reference to put on the Payment Link for this token
 * @param paymentLink       the Payment Link URL carrying {@code client_reference_id}
 * @param registered        whether the token opens an account, that is whether {@code user} is
 *                          present
 * @param isNew             whether a token was minted because none, or a malformed one, was
 *                          presented
 */
public record Session(
        String accessToken,
        Optional<User> user,
        String clientReferenceId,
        String paymentLink,
        boolean registered,
        boolean isNew) {

    /**
     * Creates the record, checking its components.
     *
     * @param accessToken       the token to keep using (set it as the cookie); may be newly minted
     * @param user              the account the token opens, or empty for a visitor whose token opens
     *        none yet (nothing about them is stored)
     * @param clientReferenceId the encrypted reference to put on the Payment Link for this token
     * @param paymentLink       the Payment Link URL carrying {@code client_reference_id}
     * @param registered        whether the token opens an account, that is whether {@code user} is
     *        present
     * @param isNew             whether a token was minted because none, or a malformed one, was
     *        presented
     */
    public Session {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clientReferenceId, "clientReferenceId");
        Objects.requireNonNull(paymentLink, "paymentLink");
        if (registered != user.isPresent()) {
            throw new IllegalArgumentException("registered=" + registered + " contradicts user " + user.isPresent());
        }
    }

    /**
     * The balance in cents: the user's, or 0 for an unregistered visitor.
     *
     * @return the balance in cents
     */
    public long balanceCents() {
        return user.map(User::balanceCents).orElse(0L);
    }

    @Override
    public String toString() {
        return "Session[accessToken=<redacted>, user=" + user + ", registered=" + registered
                + ", isNew=" + isNew + "]";
    }
}
