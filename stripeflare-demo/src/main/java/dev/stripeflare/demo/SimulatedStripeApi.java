package dev.stripeflare.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Test mode's stand-in for the one Stripe API call the wallet makes for a first payment:
 * {@code GET /v1/payment_intents/{id}?expand[]=latest_charge}, answered from
 * {@link SimulatedPayments} with a card charge. Everything else is 404, as Stripe answers.
 */
final class SimulatedStripeApi extends HttpServlet {
    static final String PATH = "/simulated-stripe";
    private static final String INTENTS = "/v1/payment_intents/";

    private final transient SimulatedPayments payments;

    SimulatedStripeApi(SimulatedPayments payments) {
        this.payments = payments;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (!path.startsWith(INTENTS)) {
            notFound(response);
            return;
        }
        String id = path.substring(INTENTS.length());
        SimulatedPayments.Payment payment = payments.find(id).orElse(null);
        if (payment == null) {
            notFound(response);
            return;
        }
        String chargeId = "ch_" + id.substring("pi_".length());
        String charge = """
                {"id": %s, "object": "charge", "amount": %d, "amount_captured": %d, "amount_refunded": 0,
                 "billing_details": {"email": %s, "name": %s},
                 "captured": true, "currency": "usd", "livemode": false, "paid": true, "payment_intent": %s,
                 "payment_method_details": {"type": "card",
                   "card": {"brand": "visa", "country": "US", "exp_month": 12, "exp_year": 2034,
                            "fingerprint": %s, "funding": "credit", "last4": "4242"}},
                 "refunded": false, "status": "succeeded"}""".formatted(Text.json(chargeId), payment.amountCents(),
                payment.amountCents(), Text.json(payment.email()), Text.json(payment.name()), Text.json(id),
                Text.json(payment.cardFingerprint()));
        String latestCharge = request.getQueryString() != null && request.getQueryString().contains("latest_charge")
                ? charge : Text.json(chargeId);
        String intent = """
                {"id": %s, "object": "payment_intent", "amount": %d, "amount_received": %d, "currency": "usd",
                 "latest_charge": %s, "livemode": false, "payment_method_types": ["card", "link"],
                 "status": "succeeded"}""".formatted(Text.json(id), payment.amountCents(), payment.amountCents(),
                latestCharge);
        answer(response, 200, intent);
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        answer(response, 404, "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"No such resource\"}}");
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Request-Id", "req_simulated");
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
}
