package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Session;
import dev.stripeflare.StoreException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A failing store answers 503 with a short message, withholds paid bodies and charges nothing. */
class StoreFailureTest {
    private final AtomicBoolean sessionsFail = new AtomicBoolean();
    private final AtomicBoolean chargesFail = new AtomicBoolean();
    private final AtomicBoolean rotationsFail = new AtomicBoolean();

    private JettyHarness harness() throws Exception {
        return new JettyHarness(FilterSettings.development(), real -> new ForwardingWallet(real) {
            @Override
            public Session session(String presentedTokenOrNull) {
                if (sessionsFail.get()) {
                    throw new StoreException("disk on fire");
                }
                return super.session(presentedTokenOrNull);
            }

            @Override
            public ChargeResult charge(ChargeRequest request) {
                if (chargesFail.get()) {
                    throw new StoreException("disk on fire");
                }
                return super.charge(request);
            }

            @Override
            public String rotateToken(String accessToken) {
                if (rotationsFail.get()) {
                    throw new StoreException("disk on fire");
                }
                return super.rotateToken(accessToken);
            }
        });
    }

    @Test
    void aFailingSessionLookupIs503WithoutDetails() throws Exception {
        try (JettyHarness harness = harness()) {
            sessionsFail.set(true);
            HttpResponse<String> response = harness.get("/free");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"error\":\"Wallet unavailable; try again\"}");
        }
    }

    @Test
    void aFailingChargeIs503AndTheHandlersBodyIsWithheld() throws Exception {
        try (JettyHarness harness = harness()) {
            String token = harness.registeredUser(100);
            chargesFail.set(true);
            HttpResponse<String> response = harness.getWithBearer("/paid?price=5", token);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"error\":\"Could not charge; try again\"}");
            assertThat(harness.balance(token)).isEqualTo(100);
        }
    }

    @Test
    void aFailingRotationIs503AndTheOldTokenStillWorks() throws Exception {
        try (JettyHarness harness = harness()) {
            String token = harness.registeredUser(100);
            rotationsFail.set(true);
            HttpResponse<String> response = harness.send(harness.request("/rotate-token")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(harness.wallet.lookupUser(token)).isPresent();
        }
    }
}
