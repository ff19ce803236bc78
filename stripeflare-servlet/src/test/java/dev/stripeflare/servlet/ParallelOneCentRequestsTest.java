package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import java.net.http.HttpRequest;
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

/**
 * The money check of issue 10, kept green through commit-time charging: 600 parallel one-cent
 * requests on 500 cents give exactly 500 × 200 and 100 × 402, with and without idempotency keys,
 * and from two devices of one account; the balance equals the ledger.
 */
class ParallelOneCentRequestsTest {
    private static final int REQUESTS = 600;
    private static final long BALANCE = 500;
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
    void sixHundredOneCentRequestsOnFiveHundredCents() throws Exception {
        burst(false);
    }

    @Test
    void sixHundredOneCentRequestsWithDistinctIdempotencyKeys() throws Exception {
        String token = harness.registeredUser(BALANCE);
        burst(List.of(token), true);
    }

    @Test
    void sixHundredOneCentRequestsFromTwoDevicesOfOneAccount() throws Exception {
        String first = harness.registeredUser(300);
        String second = harness.secondDevice(first, 200);
        assertThat(harness.balance(second)).isEqualTo(BALANCE);
        burst(List.of(first, second), false);
    }

    private void burst(boolean keys) throws Exception {
        burst(List.of(harness.registeredUser(BALANCE)), keys);
    }

    private void burst(List<String> devices, boolean keys) throws Exception {
        String token = devices.get(0);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest.Builder request = harness.request("/paid?price=1")
                        .header("Authorization", "Bearer " + devices.get(i % devices.size()));
                if (keys) {
                    request.header("Idempotency-Key", "key-" + i);
                }
                HttpRequest built = request.build();
                responses.add(pool.submit(() -> {
                    go.await();
                    return harness.send(built);
                }));
            }
            go.countDown();
            int paid = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    assertThat(response.body()).isEqualTo("paid content");
                    paid++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(402);
                    assertThat(response.body()).doesNotContain("paid content");
                    refused++;
                }
            }
            assertThat(paid).isEqualTo(500);
            assertThat(refused).isEqualTo(100);
            assertThat(harness.balance(token)).isZero();
            for (String device : devices) {
                assertThat(harness.balance(device)).isZero();
            }
            assertThat(harness.wallet.ledger(token).stream().mapToLong(LedgerEntry::amountCents).sum()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
