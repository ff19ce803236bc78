package dev.stripeflare.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Stripe JSON sample from {@code src/test/resources/stripe/}, adapted to a scenario by replacing
 * exact text. Each replacement must match, so a fixture that drifts fails loudly instead of
 * silently testing something else.
 */
final class StripeJson {
    static final String SESSION_ID = "cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ";
    static final String PAYMENT_INTENT = "pi_3SAcmePaymentIntent0001";
    static final String CARD_CHARGE = "ch_3SAcmeCharge0001";
    static final String CARD_FINGERPRINT = "Xt5EWLLDS7FJjR1c";
    static final String REFERENCE_PLACEHOLDER = "REPLACE_WITH_CLIENT_REFERENCE_ID";

    private final String json;

    private StripeJson(String json) {
        this.json = json;
    }

    static StripeJson load(String name) {
        try (InputStream in = StripeJson.class.getResourceAsStream("/stripe/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new StripeJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces every occurrence of {@code literal}, which must occur. */
    StripeJson replace(String literal, String replacement) {
        if (!json.contains(literal)) {
            throw new IllegalArgumentException("fixture has no " + literal);
        }
        return new StripeJson(json.replace(literal, replacement));
    }

    String json() {
        return json;
    }

    @Override
    public String toString() {
        return json;
    }
}
