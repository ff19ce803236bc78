package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulated checkout's events are what Stripe's own library accepts and reads. */
class CheckoutEventTest {
    private static final Instant NOW = Instant.now();

    private final CheckoutEvent event = new CheckoutEvent("evt_sim_1", "cs_test_sim_1", "pi_sim_1", "ref_ABC-123",
            500, "Zoë \"Z\" <Ö>", "zoe@example.com", NOW);

    @Test
    void stripeJavaVerifiesTheSignatureAndReadsTheSession() throws Exception {
        String payload = event.json();
        String header = new WebhookSigner(DemoServer.TEST_WEBHOOK_SECRET).signatureHeader(payload, NOW);
        Event parsed = Webhook.constructEvent(payload, header, DemoServer.TEST_WEBHOOK_SECRET);
        assertThat(parsed.getType()).isEqualTo("checkout.session.completed");
        Session session = (Session) parsed.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(session.getClientReferenceId()).isEqualTo("ref_ABC-123");
        assertThat(session.getAmountTotal()).isEqualTo(500);
        assertThat(session.getPaymentStatus()).isEqualTo("paid");
        assertThat(session.getPaymentIntent()).isEqualTo("pi_sim_1");
        assertThat(session.getCustomerDetails().getName()).isEqualTo("Zoë \"Z\" <Ö>");
        assertThat(session.getCustomerDetails().getEmail()).isEqualTo("zoe@example.com");
    }

    @Test
    void anotherSecretDoesNotVerify() {
        String payload = event.json();
        String header = new WebhookSigner("whsec_other").signatureHeader(payload, NOW);
        assertThatThrownBy(() -> Webhook.constructEvent(payload, header, DemoServer.TEST_WEBHOOK_SECRET))
                .isInstanceOf(SignatureVerificationException.class);
    }
}
