package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.NOW_SECONDS;
import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String ROTATED_IN = "whsec_rotated_in_secret_9876543210";
    private static final String UNKNOWN = "whsec_someone_elses_secret_0000000";

    private WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();
    private final String payload = checkoutCompleted(ada, 1).json();

    @AfterEach
    void close() {
        harness.close();
    }

    private WebhookResult deliver(String body, String header) {
        return harness.wallet.handleWebhookPayload(body, header);
    }

    private void assertRejectedAndNothingChanged(WebhookResult result) {
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
        assertThat(harness.stripe.requests()).isEmpty();
    }

    @Test
    void eventSignedWithTheSigningSecretIsApplied() {
        WebhookResult result = deliver(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS));

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void missingOrBlankHeaderIsRejected() {
        assertRejectedAndNothingChanged(deliver(payload, null));
        assertRejectedAndNothingChanged(deliver(payload, " "));
    }

    @Test
    void signatureBySomeoneElsesSecretIsRejected() {
        assertRejectedAndNothingChanged(deliver(payload, StripeSignatures.header(payload, UNKNOWN, NOW_SECONDS)));
    }

    @Test
    void malformedHeadersAreRejected() {
        String v1 = StripeSignatures.v1(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS);
        for (String header : new String[] {"garbage", "t=abc,v1=" + v1, "v1=" + v1, "t=" + NOW_SECONDS,
                "t=" + NOW_SECONDS + ",v0=" + v1, "t=,v1=", "t=" + NOW_SECONDS + ",v1=" + v1.toUpperCase()}) {
            assertRejectedAndNothingChanged(deliver(payload, header));
        }
    }

    @Test
    void tamperedPayloadUnderAValidOldSignatureIsRejected() {
        String header = StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS - 60);
        String tampered = payload.replace("\"amount_total\": 500", "\"amount_total\": 500000");

        assertRejectedAndNothingChanged(deliver(tampered, header));
        assertThat(deliver(payload, header).outcome()).as("the untampered original still verifies")
                .isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void staleTimestampIsRejectedEvenWithACorrectSignature() {
        assertRejectedAndNothingChanged(deliver(payload,
                StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS - 301)));
        assertThat(deliver(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS - 300))
                .outcome()).as("exactly at the 300 s default tolerance").isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void timestampTooFarInTheFutureIsRejected() {
        assertRejectedAndNothingChanged(deliver(payload,
                StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS + 301)));
        assertThat(deliver(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS + 300))
                .outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void configuredToleranceAndTheInjectedClockDecide() {
        harness.close();
        harness = new WebhookHarness(builder -> builder.webhookTolerance(Duration.ofSeconds(60)));
        Session bea = harness.visitor();
        String body = checkoutCompleted(bea, 2).json();

        WebhookResult stale = deliver(body, StripeSignatures.header(body, TestWallets.SIGNING_SECRET, NOW_SECONDS - 61));
        WebhookResult fresh = deliver(body, StripeSignatures.header(body, TestWallets.SIGNING_SECRET, NOW_SECONDS - 60));

        assertThat(stale.outcome()).isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(fresh.outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void anyOfSeveralSigningSecretsIsAcceptedDuringRotation() {
        harness.close();
        harness = new WebhookHarness(builder -> builder.webhookSigningSecret(TestWallets.SIGNING_SECRET, ROTATED_IN));
        Session bea = harness.visitor();
        String first = checkoutCompleted(bea, 1).json();
        String second = checkoutCompleted(bea, 2).json();
        String third = checkoutCompleted(bea, 3).json();

        assertThat(deliver(first, StripeSignatures.header(first, ROTATED_IN, NOW_SECONDS)).outcome())
                .isEqualTo(WebhookOutcome.CREDITED);
        assertThat(deliver(second, StripeSignatures.header(second, NOW_SECONDS, UNKNOWN, ROTATED_IN)).outcome())
                .as("one v1 per secret, the second one ours").isEqualTo(WebhookOutcome.CREDITED);
        assertThat(deliver(third, StripeSignatures.header(third, UNKNOWN, NOW_SECONDS)).outcome())
                .isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(harness.balance(bea)).isEqualTo(1000);
    }

    @Test
    void mebibyteOfUnsignedGarbageIsRejectedQuickly() {
        char[] garbage = new char[1 << 20];
        Arrays.fill(garbage, '{');
        String body = new String(garbage);
        long started = System.nanoTime();

        WebhookResult result = deliver(body, "t=" + NOW_SECONDS + ",v1=" + "0".repeat(64));

        // A guard against pathological parsing (deep nesting, quadratic scans), not a speed claim:
        // such a blow-up takes minutes, a normal refusal milliseconds, so 10 s is safe on a loaded CI.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertRejectedAndNothingChanged(result);
    }
}
