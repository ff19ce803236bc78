package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stripeflare.Allowance;
import dev.stripeflare.Wallet;
import dev.stripeflare.http.TokenCookie;
import dev.stripeflare.store.memory.InMemoryUserStore;
import dev.stripeflare.test.StripeTestKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review: the README's plain-JDK server with allowances for visitors. A client that keeps no
 * cookies must not get a new account, and a new allowance, with every request (the servlet filter
 * refuses to charge a token it minted for the same request; the README's code must too).
 */
class PlainJdkServerVisitorTest {
    private final StripeTestKit stripe = StripeTestKit.start();
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final Wallet wallet = stripe.walletBuilder(store)
            .allowance(new Allowance(100, Allowance.Period.DAY))
            .allowanceForVisitors(true)
            .build();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newHttpClient();

    PlainJdkServerVisitorTest() throws Exception {
        server = new PlainJdkServer(wallet, TokenCookie.production()).start(0, executor);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void close() {
        server.stop(0);
        executor.shutdownNow();
        wallet.close();
        stripe.close();
    }

    @Test
    void aClientWithoutCookiesGetsNoAccountAndNoAllowancePerRequest() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/report"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as("cookie-less POST #%d: %s", i, post.body()).isEqualTo(402);
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/report")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).as("cookie-less GET #%d: %s", i, get.body()).isEqualTo(402);
        }
        assertThat(store.findById(1)).as("no account opened for a token no client held").isEmpty();
    }
}
