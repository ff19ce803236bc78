package dev.stripeflare.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs payloads the way Stripe does, written from Stripe's documentation rather than with
 * stripe-java, so that the verifier is tested against an independent implementation:
 * {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>}.
 */
final class StripeSignatures {
    private StripeSignatures() {
    }

    static String header(String payload, String secret, long unixSeconds) {
        return "t=" + unixSeconds + ",v1=" + v1(payload, secret, unixSeconds);
    }

    /** A header carrying one {@code v1} per secret, as Stripe sends while secrets roll over. */
    static String header(String payload, long unixSeconds, String... secrets) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(v1(payload, secret, unixSeconds));
        }
        return header.toString();
    }

    static String v1(String payload, String secret, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
