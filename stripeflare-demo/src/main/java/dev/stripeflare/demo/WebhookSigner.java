package dev.stripeflare.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook payload the way Stripe does: {@code Stripe-Signature: t=<unix time>,v1=<hex
 * HMAC-SHA256 of "t.payload" keyed with the whole whsec_ secret>}.
 */
final class WebhookSigner {
    private final byte[] secret;

    WebhookSigner(String whsecSecret) {
        this.secret = whsecSecret.getBytes(StandardCharsets.UTF_8);
    }

    String signatureHeader(String payload, Instant at) {
        long t = at.getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}
