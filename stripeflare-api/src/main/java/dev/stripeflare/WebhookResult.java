package dev.stripeflare;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to answer Stripe, and what happened.
 *
 * @param httpStatus the status to answer: 2xx when the event is settled (applied, duplicate or
 *                   deliberately ignored), 400 when it can never be applied, 5xx when Stripe
 *                   should deliver it again later
 * @param outcome    what happened
 * @param message    a short sentence for logs and the response body; never holds a token or secret
 * @param userId     the account whose balance changed or would have, when there is one
 */
public record WebhookResult(int httpStatus, WebhookOutcome outcome, String message, OptionalLong userId) {

    /**
     * Creates the record, checking its components.
     *
     * @param httpStatus the status to answer: 2xx when the event is settled (applied, duplicate or
     *        deliberately ignored), 400 when it can never be applied, 5xx when Stripe
     *        should deliver it again later
     * @param outcome    what happened
     * @param message    a short sentence for logs and the response body; never holds a token or secret
     * @param userId     the account whose balance changed or would have, when there is one
     */
    public WebhookResult {
        if (httpStatus < 100 || httpStatus > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + httpStatus);
        }
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(userId, "userId");
    }

    /**
     * Whether the answer tells Stripe the event is settled (a 2xx status).
     *
     * @return true for a 2xx status
     */
    public boolean acknowledged() {
        return httpStatus >= 200 && httpStatus < 300;
    }
}
