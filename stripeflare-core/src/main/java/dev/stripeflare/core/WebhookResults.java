package dev.stripeflare.core;

import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.util.OptionalLong;

/** The answers a webhook gives, with the HTTP status each one implies. */
final class WebhookResults {
    private WebhookResults() {
    }

    /** Settled (applied, duplicate, acknowledged or deliberately ignored): 200. */
    static WebhookResult settled(WebhookOutcome outcome, String message, OptionalLong userId) {
        return new WebhookResult(200, outcome, message, userId);
    }

    static WebhookResult settled(WebhookOutcome outcome, String message) {
        return settled(outcome, message, OptionalLong.empty());
    }

    static WebhookResult settled(WebhookOutcome outcome, String message, long userId) {
        return settled(outcome, message, OptionalLong.of(userId));
    }

    static WebhookResult rejectedSignature() {
        return new WebhookResult(400, WebhookOutcome.REJECTED_SIGNATURE,
                "missing, malformed, stale or unknown Stripe-Signature", OptionalLong.empty());
    }

    static WebhookResult rejectedPayload(String why) {
        return new WebhookResult(400, WebhookOutcome.REJECTED_PAYLOAD, why, OptionalLong.empty());
    }

    /** A dependency failed; nothing changed. 503 makes Stripe deliver the event again later. */
    static WebhookResult retryLater(String why) {
        return new WebhookResult(503, WebhookOutcome.RETRY_LATER, why, OptionalLong.empty());
    }

    /** A bug of ours; nothing was committed by the failing step. 500 makes Stripe retry too. */
    static WebhookResult internalError() {
        return new WebhookResult(500, WebhookOutcome.RETRY_LATER, "internal error; see the wallet's log",
                OptionalLong.empty());
    }
}
