package dev.stripeflare.core;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Checks a {@code Stripe-Signature} header ({@code t=<unix seconds>,v1=<hex HMAC-SHA256>}) against
 * the raw payload with stripe-java, under each configured signing secret in turn (several are
 * active while a secret is rotated), and the timestamp against the wallet's clock.
 *
 * <p>stripe-java rejects only timestamps older than the tolerance; a timestamp further than the
 * tolerance in the future is rejected here too, so a clock skew cannot widen the replay window.
 * The timestamp checked here is the one stripe-java verified the signature with: the header is
 * parsed exactly as stripe-java parses it ({@link #signedAt}).
 * Thread-safe.
 */
final class WebhookVerifier {
    private final List<String> secrets;
    private final long toleranceSeconds;
    private final Clock clock;

    WebhookVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = List.copyOf(secrets);
        // stripe-java treats a tolerance of 0 as "no check"; a sub-second setting must not mean that.
        this.toleranceSeconds = Math.max(1, tolerance.toSeconds());
        this.clock = clock;
    }

    /** Whether one of the secrets signed {@code payload} at a time within the tolerance. */
    boolean verify(String payload, String signatureHeader) {
        if (payload == null || signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        for (String secret : secrets) {
            try {
                if (Webhook.Signature.verifyHeader(payload, signatureHeader, secret, toleranceSeconds, clock)) {
                    return !fromTheFuture(signatureHeader);
                }
            } catch (SignatureVerificationException notThisSecret) {
                // Try the next secret; the header may be signed by one being rotated in or out.
            } catch (RuntimeException malformedHeader) {
                // stripe-java parses "t=" with Long.parseLong and lets a NumberFormatException out.
                return false;
            }
        }
        return false;
    }

    private boolean fromTheFuture(String signatureHeader) {
        long now = clock.millis() / 1000;
        // Reached only after stripe-java verified, so its timestamp exists and parses.
        return signedAt(signatureHeader) > now + toleranceSeconds;
    }

    /**
     * The timestamp stripe-java's {@code Webhook.Signature.getTimestamp} reads, parsed exactly as
     * it does: the items split on {@code ","}, each split once on {@code "="}, the first whose
     * name is exactly {@code "t"} (no trimming), its value through {@link Long#parseLong}. Any
     * other reading would let a header carry one timestamp for the signature and another for the
     * future check (issue 9 item 6: {@code " t=<now>,t=<future>,v1=…"}).
     *
     * @throws RuntimeException where stripe-java's parser throws (a malformed {@code t} item)
     */
    static long signedAt(String signatureHeader) {
        for (String item : signatureHeader.split(",", -1)) {
            String[] parts = item.split("=", 2);
            if (parts[0].equals("t")) {
                return Long.parseLong(parts[1]);
            }
        }
        return -1;
    }
}
