package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code POST /stripe-webhook}: raw body and signature through, status back, bad input refused. */
class WebhookEndpointTest {

    @Test
    void theRawBodyAndSignatureReachTheWalletAndItsStatusIsAnswered() throws Exception {
        RecordingWallet recording = new RecordingWallet(new WebhookResult(202, WebhookOutcome.CREDITED,
                "credited \"you\"", OptionalLong.of(7)));
        try (JettyHarness harness = new JettyHarness(FilterSettings.development(), recording::over)) {
            String payload = "{\"id\":\"evt_1\",\"name\":\"Zoë – ünïcode ✓\"}\n";
            HttpResponse<String> response = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=abc")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload.getBytes(StandardCharsets.UTF_8))).build());
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).isEqualTo("{\"outcome\":\"CREDITED\",\"message\":\"credited \\\"you\\\"\"}");
            assertThat(recording.payload.get()).isEqualTo(payload);
            assertThat(recording.signature.get()).isEqualTo("t=1,v1=abc");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void theRealWalletsAnswerIsPassedThrough() throws Exception {
        try (JettyHarness harness = new JettyHarness(FilterSettings.development())) {
            String payload = "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\"}";
            WebhookResult expected = harness.wallet.handleWebhookPayload(payload, "t=1,v1=00");
            HttpResponse<String> response = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=00").POST(HttpRequest.BodyPublishers.ofString(payload)).build());
            assertThat(response.statusCode()).isEqualTo(expected.httpStatus());
            assertThat(response.body()).contains("\"outcome\":\"" + expected.outcome().name() + "\"");
        }
    }

    @Test
    void badInputIsRefusedWithAClearStatusBeforeTheWallet() throws Exception {
        RecordingWallet recording = new RecordingWallet(new WebhookResult(200, WebhookOutcome.IGNORED, "ok",
                OptionalLong.empty()));
        FilterSettings settings = FilterSettings.development().withMaxWebhookBodyBytes(64);
        try (JettyHarness harness = new JettyHarness(settings, recording::over)) {
            HttpResponse<String> get = harness.get("/stripe-webhook");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");

            HttpResponse<String> unsigned = harness.post("/stripe-webhook", "{}");
            assertThat(unsigned.statusCode()).isEqualTo(400);
            assertThat(unsigned.body()).isEqualTo("{\"error\":\"Missing Stripe-Signature header\"}");

            HttpResponse<String> empty = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=0").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(empty.body()).isEqualTo("{\"error\":\"Missing body\"}");

            HttpResponse<String> large = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=0").POST(HttpRequest.BodyPublishers.ofString("x".repeat(65))).build());
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(large.body()).isEqualTo("{\"error\":\"Body larger than 64 bytes\"}");

            HttpResponse<String> notUtf8 = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', (byte) 0xC3, '}'})).build());
            assertThat(notUtf8.statusCode()).isEqualTo(400);
            assertThat(notUtf8.body()).isEqualTo("{\"error\":\"Body is not UTF-8\"}");

            assertThat(recording.payload.get()).isNull();
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        FilterSettings settings = FilterSettings.development().withMaxWebhookBodyBytes(64);
        try (JettyHarness harness = new JettyHarness(settings)) {
            byte[] chunk = "y".repeat(40).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = harness.send(harness.request("/stripe-webhook")
                    .header("Stripe-Signature", "t=1,v1=0")
                    .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(chunk, chunk))).build());
            assertThat(response.statusCode()).isEqualTo(413);
        }
    }

    /** Delegates to the real wallet, but records webhook calls and answers a fixed result. */
    static final class RecordingWallet {
        final AtomicReference<String> payload = new AtomicReference<>();
        final AtomicReference<String> signature = new AtomicReference<>();
        private final WebhookResult result;

        RecordingWallet(WebhookResult result) {
            this.result = result;
        }

        Wallet over(Wallet real) {
            return new ForwardingWallet(real) {
                @Override
                public WebhookResult handleWebhookPayload(String body, String stripeSignature) {
                    payload.set(body);
                    signature.set(stripeSignature);
                    return result;
                }
            };
        }
    }
}
