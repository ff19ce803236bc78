package dev.stripeflare.core;

import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.UserStore;
import java.util.OptionalLong;

/** Verifies and applies Stripe webhook deliveries. Being built under issue 3. */
final class StripeWebhooks {
    StripeWebhooks(UserStore store, AccessTokens tokens, ReferenceCipher cipher, WebhookSettings settings) {
    }

    WebhookResult handle(String payload, String signatureHeader) {
        return new WebhookResult(503, WebhookOutcome.RETRY_LATER, "webhook handling is not available yet",
                OptionalLong.empty());
    }
}
