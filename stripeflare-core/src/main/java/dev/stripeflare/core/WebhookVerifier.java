package dev.stripeflare.core;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
        return check(payload, signatureHeader).accepted();
    }

    /**
     * The verdict on one delivery, telling why it is refused.
     *
     * @param cause       empty when accepted
     * @param skewSeconds for a timestamp outside the tolerance, the signed time minus the clock's
     */
    record Verdict(Optional<RejectionLog.Cause> cause, long skewSeconds) {
        static final Verdict ACCEPTED = new Verdict(Optional.empty(), 0);

        boolean accepted() {
            return cause.isEmpty();
        }

        static Verdict refused(RejectionLog.Cause cause, long skewSeconds) {
            return new Verdict(Optional.of(cause), skewSeconds);
        }
    }

    /**
     * Verifies as {@link #verify}, and for a refusal tells a malformed header from a signature no
     * secret made, and both from a genuine signature whose timestamp is outside the tolerance (so
     * a wrong secret and a wrong clock read differently in the log). The last costs one more
     * HMAC per secret, only for deliveries that are refused anyway.
     */
    Verdict check(String payload, String signatureHeader) {
        if (payload == null || signatureHeader == null || signatureHeader.isBlank()
                || !signatureHeader.contains("v1=")) {
            return Verdict.refused(RejectionLog.Cause.MALFORMED, 0);
        }
        long signedAt;
        try {
            signedAt = signedAt(signatureHeader);
        } catch (RuntimeException malformedTimestamp) {
            return Verdict.refused(RejectionLog.Cause.MALFORMED, 0);
        }
        if (signedAt < 0) {
            return Verdict.refused(RejectionLog.Cause.MALFORMED, 0);
        }
        long skew = signedAt - clock.millis() / 1000;
        for (String secret : secrets) {
            try {
                if (Webhook.Signature.verifyHeader(payload, signatureHeader, secret, toleranceSeconds, clock)) {
                    return fromTheFuture(signatureHeader)
                            ? Verdict.refused(RejectionLog.Cause.OUTSIDE_TOLERANCE, skew) : Verdict.ACCEPTED;
                }
            } catch (SignatureVerificationException notThisSecret) {
                // Try the next secret; the header may be signed by one being rotated in or out.
            } catch (RuntimeException malformedHeader) {
                // stripe-java parses "t=" with Long.parseLong and lets a NumberFormatException out.
                return Verdict.refused(RejectionLog.Cause.MALFORMED, 0);
            }
        }
        for (String secret : secrets) {
            try {
                // A tolerance of 0 makes stripe-java check the signature only, not the time.
                if (Webhook.Signature.verifyHeader(payload, signatureHeader, secret, 0, clock)) {
                    return Verdict.refused(RejectionLog.Cause.OUTSIDE_TOLERANCE, skew);
                }
            } catch (SignatureVerificationException | RuntimeException notThisSecret) {
                // Signed by none of the secrets: a bad signature.
            }
        }
        return Verdict.refused(RejectionLog.Cause.BAD_SIGNATURE, 0);
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
