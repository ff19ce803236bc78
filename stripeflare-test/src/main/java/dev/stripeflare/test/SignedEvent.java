package dev.stripeflare.test;

import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import java.util.Objects;

/**
 * A Stripe webhook delivery: the event's JSON body exactly as Stripe sends it, and the
 * {@code Stripe-Signature} header that signs it. Post it to an application's webhook endpoint
 * (body and header unchanged), or hand it to a wallet with {@link #deliverTo}.
 *
 * @param eventId   the event's {@code evt_…} id (a redelivery carries the same one)
 * @param type      the event type, e.g. {@code checkout.session.completed}
 * @param payload   the raw JSON body
 * @param signature the {@code Stripe-Signature} header value
 */
public record SignedEvent(String eventId, String type, String payload, String signature) {
    /**
     * Checks that every part is present.
     *
     * @param eventId   the event's {@code evt_…} id (a redelivery carries the same one)
     * @param type      the event type, e.g. {@code checkout.session.completed}
     * @param payload   the raw JSON body
     * @param signature the {@code Stripe-Signature} header value
     */
    public SignedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Delivers this event to {@code wallet} as a webhook endpoint would.
     *
     * @param wallet the wallet whose webhook endpoint receives it
     * @return what the wallet answered, as {@link Wallet#handleWebhookPayload} does
     */
    public WebhookResult deliverTo(Wallet wallet) {
        return wallet.handleWebhookPayload(payload, signature);
    }
}
