package dev.stripeflare.demo;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test mode's memory of simulated payments: which card paid which PaymentIntent, so the
 * simulated Stripe API can answer the wallet's lookup as the real one would. Thread-safe.
 */
final class SimulatedPayments {
    /** A paid PaymentIntent: amount in cents and the fingerprint of the card that paid. */
    record Payment(long amountCents, String cardFingerprint, String email, String name) {
    }

    private final Map<String, Payment> byPaymentIntent = new ConcurrentHashMap<>();

    void record(String paymentIntentId, Payment payment) {
        byPaymentIntent.put(paymentIntentId, payment);
    }

    Optional<Payment> find(String paymentIntentId) {
        return Optional.ofNullable(byPaymentIntent.get(paymentIntentId));
    }
}
