package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.NOW_SECONDS;
import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 6: the future-timestamp check could be sidestepped.
 *
 * <p>Root cause: {@link WebhookVerifier} let stripe-java verify the signature and then looked for
 * the timestamp itself, trimming item names. stripe-java does not trim, so in
 * {@code " t=<now>,t=<future>,v1=…"} stripe-java verified the signature with the second,
 * future timestamp while our check read the first one, {@code now}: a signature made for a
 * future time (e.g. leaked from a test environment with a skewed clock) was accepted before its
 * time. The fix parses the header exactly as stripe-java does.
 */
class Issue9SignatureHeaderTest {
    private static final long FUTURE = NOW_SECONDS + 3_600;

    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();
    private final String payload = checkoutCompleted(ada, 1).json();

    @AfterEach
    void close() {
        harness.close();
    }

    private void assertRejectedAndNothingChanged(String header) {
        WebhookResult result = harness.wallet.handleWebhookPayload(payload, header);
        assertThat(result.httpStatus()).as(header).isEqualTo(400);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    @Test
    void leadingSpaceBeforeAPresentTimestampCannotHideAFutureOne() {
        String futureSignature = StripeSignatures.v1(payload, TestWallets.SIGNING_SECRET, FUTURE);

        assertRejectedAndNothingChanged(" t=" + NOW_SECONDS + ",t=" + FUTURE + ",v1=" + futureSignature);
        assertRejectedAndNothingChanged("t =" + NOW_SECONDS + ",t=" + FUTURE + ",v1=" + futureSignature);
        assertRejectedAndNothingChanged("\tt=" + NOW_SECONDS + ",t=" + FUTURE + ",v1=" + futureSignature);
        assertRejectedAndNothingChanged("t=" + FUTURE + ",t=" + NOW_SECONDS + ",v1=" + futureSignature);
    }

    @Test
    void theSameShapesSignedForNowAreStillAccepted() {
        String nowSignature = StripeSignatures.v1(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS);

        WebhookResult result = harness.wallet.handleWebhookPayload(payload,
                " t=" + FUTURE + ",t=" + NOW_SECONDS + ",v1=" + nowSignature);

        assertThat(result.outcome()).as("stripe-java reads the second, exact \"t\"").isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void timestampIsReadExactlyWhereStripeJavaReadsIt() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String secret = TestWallets.SIGNING_SECRET;
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW_SECONDS), ZoneOffset.UTC);
        long[] times = {NOW_SECONDS, FUTURE, NOW_SECONDS - 10};
        int agreed = 0;
        for (int round = 0; round < 3_000; round++) {
            List<String> items = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                long t = times[random.nextInt(times.length)];
                String[] shapes = {"t=" + t, " t=" + t, "t =" + t, "t= " + t, "T=" + t, "t=" + t + " ", "t",
                        "v1=" + StripeSignatures.v1(payload, secret, t), " v1=" + StripeSignatures.v1(payload, secret, t),
                        "v0=x", ""};
                items.add(shapes[random.nextInt(shapes.length)]);
            }
            String header = String.join(",", items);
            for (long t : times) {
                boolean stripeVerifiesAtT = verifiesWithTimestamp(header, t, clock);
                if (stripeVerifiesAtT) {
                    assertThat(WebhookVerifier.signedAt(header)).as("seed %d, header %s", seed, header).isEqualTo(t);
                    agreed++;
                }
            }
            WebhookVerifier verifier = new WebhookVerifier(List.of(secret), Duration.ofSeconds(300), clock);
            boolean accepted = verifier.verify(payload, header);
            if (accepted) {
                assertThat(WebhookVerifier.signedAt(header)).as("seed %d, header %s", seed, header)
                        .isBetween(NOW_SECONDS - 300, NOW_SECONDS + 300);
            }
        }
        assertThat(agreed).as("the generator reaches headers stripe-java accepts").isGreaterThan(100);
    }

    /** Whether stripe-java's own parser took {@code t} as the timestamp (its signature matches only then). */
    private boolean verifiesWithTimestamp(String header, long t, Clock clock) {
        try {
            String onlyThisSignature = header.replaceAll("v1=[0-9a-f]{64}", "v1=none")
                    + ",v1=" + StripeSignatures.v1(payload, TestWallets.SIGNING_SECRET, t);
            return Webhook.Signature.verifyHeader(payload, onlyThisSignature, TestWallets.SIGNING_SECRET, 0, clock);
        } catch (SignatureVerificationException | RuntimeException notThisTimestamp) {
            return false;
        }
    }

    @Test
    void malformedTimestampItemsAreRejectedLikeStripeJavaRejectsThem() {
        assertThatThrownBy(() -> WebhookVerifier.signedAt("t")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> WebhookVerifier.signedAt("t= 1")).isInstanceOf(NumberFormatException.class);
        assertThat(WebhookVerifier.signedAt(" t=1,v1=x")).isEqualTo(-1);
        assertRejectedAndNothingChanged("t,t=" + NOW_SECONDS + ",v1="
                + StripeSignatures.v1(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS));
    }
}
