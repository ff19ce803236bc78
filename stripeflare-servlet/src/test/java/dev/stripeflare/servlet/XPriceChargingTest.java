package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code X-Price}: charged after the handler, before anything reaches the client. */
class XPriceChargingTest {
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aPricedResponseIsChargedAndReportsTheNewBalance() throws Exception {
        String token = harness.registeredUser(100);
        HttpResponse<String> response = harness.getWithBearer("/paid?price=7", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("paid content");
        assertThat(response.headers().firstValue("X-Price")).hasValue("7");
        assertThat(response.headers().firstValue("X-Balance")).hasValue("93");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("12");
        assertThat(response.headers().firstValue("Server-Timing").orElseThrow()).matches("stripeflare-charge;dur=\\d+\\.\\d{3}");
        assertThat(harness.balance(token)).isEqualTo(93);
        List<LedgerEntry> ledger = harness.wallet.ledger(token);
        assertThat(ledger.get(ledger.size() - 1).memo()).isEqualTo("GET /paid");
    }

    @Test
    void aFreeResponseChargesNothing() throws Exception {
        String token = harness.registeredUser(100);
        HttpResponse<String> response = harness.getWithBearer("/free", token);
        assertThat(response.headers().firstValue("X-Price")).isEmpty();
        assertThat(response.headers().firstValue("X-Balance")).hasValue("100");
        assertThat(harness.balance(token)).isEqualTo(100);
    }

    @Test
    void insufficientBalanceIs402AndTheHandlersBodyIsWithheld() throws Exception {
        String token = harness.registeredUser(5);
        HttpResponse<String> response = harness.getWithBearer("/paid?price=7", token);
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(response.body()).doesNotContain("paid content")
                .startsWith("{\"error\":\"Payment required\",\"message\":\"User balance too low\",\"balance\":5,");
        assertThat(response.headers().firstValue("X-Price")).isEmpty();
        assertThat(response.headers().firstValue("X-Balance")).hasValue("5");
        assertThat(response.headers().firstValue("X-PaymentLink")).hasValue(harness.wallet.paymentLink(token));
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(harness.balance(token)).isEqualTo(5);
    }

    @Test
    void aVisitorWhoHasNotPaidGets402() throws Exception {
        HttpResponse<String> response = harness.get("/paid?price=1");
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(response.body()).contains("\"message\":\"User is not signed up yet and cannot be charged\"")
                .doesNotContain("paid content");
    }

    @Test
    void flushingInTheHandlerDoesNotLetTheBodyOutBeforeTheCharge() throws Exception {
        String token = harness.registeredUser(3);
        HttpResponse<String> response = harness.getWithBearer("/flushing", token);
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(response.body()).doesNotContain("paid content");
    }

    @Test
    void aFlushChargesThePriceSetBeforeIt() throws Exception {
        String token = harness.registeredUser(30);
        HttpResponse<String> response = harness.getWithBearer("/flushing", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("paid content");
        assertThat(response.headers().firstValue("X-Price")).hasValue("5");
        assertThat(harness.balance(token)).isEqualTo(25);
    }

    @Test
    void aPriceSetAfterTheResponseWasCommittedIsNotCharged() throws Exception {
        String token = harness.registeredUser(30);
        HttpResponse<String> response = harness.getWithBearer("/priced-after-flush", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Price")).isEmpty();
        assertThat(harness.balance(token)).isEqualTo(30);
    }

    @Test
    void aPriceOnAnErrorResponseIsNotCharged() throws Exception {
        String token = harness.registeredUser(100);
        HttpResponse<String> response = harness.getWithBearer("/paid-error", token);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Balance")).hasValue("100");
        assertThat(harness.balance(token)).isEqualTo(100);
    }

    @Test
    void aMalformedPriceIs500AndChargesNothing() throws Exception {
        String token = harness.registeredUser(100);
        for (String price : List.of("-5", "abc", "1.5", "99999999999999999999")) {
            HttpResponse<String> response = harness.getWithBearer("/paid?price=" + price, token);
            assertThat(response.statusCode()).as(price).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"error\":\"The application set a malformed X-Price\"}");
        }
        assertThat(harness.balance(token)).isEqualTo(100);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsServedAgainButChargedOnce() throws Exception {
        String token = harness.registeredUser(100);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = harness.send(harness.request("/paid?price=10")
                    .header("Authorization", "Bearer " + token).header("Idempotency-Key", "retry-1").build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("paid content");
            assertThat(response.headers().firstValue("X-Balance")).hasValue("90");
        }
        assertThat(harness.balance(token)).isEqualTo(90);
    }

    @Test
    void anIdempotencyKeyDoesNotCarryOverToAnotherResource() throws Exception {
        String token = harness.registeredUser(100);
        for (String path : List.of("/paid?price=10", "/paid?price=10&other=1")) {
            harness.send(harness.request(path).header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", "same").build());
        }
        assertThat(harness.balance(token)).isEqualTo(80);
    }

    @Test
    void withoutAnIdempotencyKeyEveryRequestIsCharged() throws Exception {
        String token = harness.registeredUser(100);
        harness.getWithBearer("/paid?price=10", token);
        harness.getWithBearer("/paid?price=10", token);
        assertThat(harness.balance(token)).isEqualTo(80);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherAmountIs409AndChargesNothingMore() throws Exception {
        String token = harness.registeredUser(100);
        // Same method, path and query: only the price the handler chose differs.
        for (String price : List.of("10", "20")) {
            HttpResponse<String> response = harness.send(harness.request("/priced-by-header")
                    .header("Authorization", "Bearer " + token).header("Idempotency-Key", "k")
                    .header("X-Test-Price", price).build());
            assertThat(response.statusCode()).isEqualTo(price.equals("10") ? 200 : 409);
            if (price.equals("20")) {
                assertThat(response.body()).doesNotContain("paid content");
            }
        }
        assertThat(harness.balance(token)).isEqualTo(90);
    }

    @Test
    void aMalformedIdempotencyKeyIs400BeforeTheHandlerRuns() throws Exception {
        String token = harness.registeredUser(100);
        HttpResponse<String> response = harness.send(harness.request("/paid?price=10")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "x".repeat(256)).build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("idempotency key longer than 255 characters");
        assertThat(harness.balance(token)).isEqualTo(100);
    }

    @Test
    void theApplicationCanAnswer402ItselfWithThePaymentLink() throws Exception {
        String token = harness.registeredUser(9);
        HttpResponse<String> response = harness.getWithBearer("/guarded", token);
        assertThat(response.statusCode()).isEqualTo(402);
        assertThat(response.body()).isEqualTo("{\"error\":\"Payment required\",\"message\":\"Balance too low\","
                + "\"balance\":9,\"paymentLink\":\"" + harness.wallet.paymentLink(token) + "\"}");
        assertThat(response.headers().firstValue("X-PaymentLink")).hasValue(harness.wallet.paymentLink(token));
    }

    @Test
    void concurrentPaidRequestsNeverOverdraw() throws Exception {
        long start = 100;
        long price = 7;
        int requests = 40;
        String token = harness.registeredUser(start);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                responses.add(pool.submit(() -> {
                    go.await();
                    return harness.getWithBearer("/paid?price=" + price, token);
                }));
            }
            go.countDown();
            int paid = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get(30, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    assertThat(response.body()).isEqualTo("paid content");
                    paid++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(402);
                    assertThat(response.body()).doesNotContain("paid content");
                    refused++;
                }
            }
            assertThat(paid).isEqualTo((int) (start / price));
            assertThat(refused).isEqualTo(requests - paid);
            assertThat(harness.balance(token)).isEqualTo(start - paid * price).isNotNegative();
            long ledgerSum = harness.wallet.ledger(token).stream().mapToLong(LedgerEntry::amountCents).sum();
            assertThat(ledgerSum).isEqualTo(harness.balance(token));
        } finally {
            pool.shutdownNow();
        }
    }
}
