package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo in test mode over real HTTP: what a browser would get, without the browser. */
class DemoServerTest {
    @TempDir
    Path data;

    private DemoHarness demo;

    @BeforeEach
    void start() throws Exception {
        demo = DemoHarness.start(data);
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    void thePageIsLabelledTestModeAndTopsUpThroughTheLocalSimulatedCheckout() throws Exception {
        HttpResponse<String> page = demo.send(HttpRequest.newBuilder(demo.at("/")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("TEST MODE", "id=\"balance\" data-cents=\"0\">$0.00<",
                "Not registered yet", "id=\"paid\"", "id=\"rotate\"");
        String link = page.headers().firstValue("X-PaymentLink").orElseThrow();
        assertThat(link).startsWith(demo.baseUri() + "/simulated-checkout?client_reference_id=");
        assertThat(page.body()).contains("id=\"topup\" href=\"" + link + "\"");

        HttpResponse<String> checkout = demo.send(HttpRequest.newBuilder(URI.create(link)).build());
        assertThat(checkout.statusCode()).isEqualTo(200);
        assertThat(checkout.body()).contains("TEST MODE — simulated Stripe checkout", "id=\"pay\"");
    }

    @Test
    void theSimulatedCheckoutRefusesALinkWithoutReference() throws Exception {
        HttpResponse<String> checkout = demo.send(HttpRequest.newBuilder(demo.at("/simulated-checkout")).build());
        assertThat(checkout.statusCode()).isEqualTo(400);
        assertThat(checkout.body()).contains("no valid <code>client_reference_id</code>");
    }

    @Test
    void thePaidActionIsFreeForAVisitorUpToTodaysAllowanceThenAsksToPay() throws Exception {
        HttpResponse<String> page = demo.send(HttpRequest.newBuilder(demo.at("/")).build()); // hands out the token
        assertThat(page.body()).contains("id=\"free-offer\"", DemoServer.TEST_ALLOWANCE_CENTS + "¢ of free credit a day");
        for (long left = DemoServer.TEST_ALLOWANCE_CENTS - 1; left >= 0; left--) {
            HttpResponse<String> free = demo.send(HttpRequest.newBuilder(demo.at("/api/paid"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(free.statusCode()).isEqualTo(200);
            assertThat(free.headers().firstValue("X-Balance")).hasValue(Long.toString(left));
        }
        HttpResponse<String> account = demo.send(HttpRequest.newBuilder(demo.at("/")).build());
        assertThat(account.body()).contains("A free account (no payment yet)", "id=\"ledger\"",
                "class=\"ledger-line GRANT\"", "granted (free)", "allowance (day)", "class=\"ledger-line CHARGE\"");
        HttpResponse<String> paid = demo.send(HttpRequest.newBuilder(demo.at("/api/paid"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(paid.statusCode()).isEqualTo(402);
        assertThat(paid.body()).contains("\"paymentLink\":\"" + demo.baseUri() + "/simulated-checkout");
        assertThat(paid.body()).doesNotContain("one cent's worth");
    }

    @Test
    void aPostFromAClientWithoutATokenIsOfferedNoPaymentLinkForATokenItWillNeverHold() throws Exception {
        HttpResponse<String> paid = demo.send(HttpRequest.newBuilder(demo.at("/api/paid"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(paid.statusCode()).isEqualTo(402);
        assertThat(paid.body()).endsWith("\"paymentLink\":null}");
        assertThat(paid.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aPageOpenedOnTheLoopbackAddressMovesToLocalhostWhereTheCheckoutReturns() throws Exception {
        URI loopback = URI.create("http://127.0.0.1:" + demo.baseUri().getPort() + "/");
        HttpResponse<String> page = demo.send(HttpRequest.newBuilder(loopback).build());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue(demo.baseUri() + "/");
    }
}
