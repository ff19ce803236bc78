package dev.stripeflare.demo;

import com.stripe.Stripe;
import java.time.Instant;

/**
 * A {@code checkout.session.completed} event as Stripe sends it for a paid Payment Link
 * checkout: the fields the wallet reads, with Stripe's shapes and id prefixes.
 */
record CheckoutEvent(String eventId, String checkoutSessionId, String paymentIntentId, String clientReferenceId,
                     long amountCents, String name, String email, Instant created) {

    String json() {
        long t = created.getEpochSecond();
        return """
                {
                  "id": %s,
                  "object": "event",
                  "api_version": %s,
                  "created": %d,
                  "data": {
                    "object": {
                      "id": %s,
                      "object": "checkout.session",
                      "amount_subtotal": %d,
                      "amount_total": %d,
                      "client_reference_id": %s,
                      "created": %d,
                      "currency": "usd",
                      "currency_conversion": null,
                      "customer": null,
                      "customer_details": {
                        "address": {"city": null, "country": "NL", "line1": null, "line2": null, "postal_code": null, "state": null},
                        "email": %s,
                        "name": %s,
                        "phone": null,
                        "tax_exempt": "none",
                        "tax_ids": []
                      },
                      "livemode": false,
                      "metadata": {},
                      "mode": "payment",
                      "payment_intent": %s,
                      "payment_link": "plink_simulated",
                      "payment_method_types": ["card", "link"],
                      "payment_status": "paid",
                      "status": "complete",
                      "ui_mode": "hosted"
                    }
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": null, "idempotency_key": null},
                  "type": "checkout.session.completed"
                }
                """.formatted(Text.json(eventId), Text.json(Stripe.API_VERSION), t, Text.json(checkoutSessionId),
                amountCents, amountCents, Text.json(clientReferenceId), t, Text.json(email), Text.json(name),
                Text.json(paymentIntentId));
    }
}
