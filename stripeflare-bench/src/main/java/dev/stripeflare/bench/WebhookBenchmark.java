package dev.stripeflare.bench;

import com.stripe.Stripe;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * {@code wallet.handleWebhookPayload(body, signature)}: verifies and applies a signed
 * {@code checkout.session.completed} (the full event Stripe sends, about 4 KB). Every invocation
 * delivers a fresh event and checkout session, so each one really credits (an existing user's
 * token, so no call to Stripe's API is made); anything but {@code CREDITED} fails the run. The
 * payload and its {@code Stripe-Signature} are made before the invocation is timed.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class WebhookBenchmark {
    /** How many users receive the credits (the first ones, whose references are computed up front). */
    static final int PAYERS = 10_000;

    @Param({Stores.MEMORY, Stores.H2_MEM, Stores.H2_FILE, Stores.POSTGRES})
    public String store;

    @Param({"100000"})
    public int users;

    private WalletFixture fixture;
    private String[] references;
    private String template;

    /** One thread's next delivery. */
    @State(Scope.Thread)
    public static class Delivery {
        private Mac hmac;
        private String prefix;
        private long sequence;
        String payload;
        String signature;

        @Setup(Level.Trial)
        public void start(ThreadParams thread) throws GeneralSecurityException {
            hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(WalletFixture.SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            prefix = "bench" + Long.toHexString(System.nanoTime()) + "t" + thread.getThreadIndex() + "n";
        }

        @Setup(Level.Invocation)
        public void next(WebhookBenchmark benchmark) {
            long n = sequence++;
            String id = prefix + n;
            long now = System.currentTimeMillis() / 1000;
            payload = benchmark.template
                    // A fresh event: the wallet refuses events older than its operation retention.
                    .replace("${CREATED}", Long.toString(now))
                    .replace("${EVENT_ID}", "evt_" + id)
                    .replace("${SESSION_ID}", "cs_test_" + id)
                    .replace("${PAYMENT_INTENT}", "pi_" + id)
                    .replace("${CLIENT_REFERENCE_ID}", benchmark.references[(int) (n % PAYERS)]);
            byte[] mac = hmac.doFinal((now + "." + payload).getBytes(StandardCharsets.UTF_8));
            signature = "t=" + now + ",v1=" + HexFormat.of().formatHex(mac);
        }
    }

    @Setup(Level.Trial)
    public void open() {
        fixture = WalletFixture.open(store, users);
        references = new String[Math.min(PAYERS, users)];
        for (int i = 0; i < references.length; i++) {
            references[i] = fixture.wallet.session(fixture.tokens[i]).clientReferenceId();
        }
        template = readTemplate().replace("${API_VERSION}", Stripe.API_VERSION);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    @Benchmark
    public WebhookResult handle(Delivery delivery) {
        WebhookResult result = fixture.wallet.handleWebhookPayload(delivery.payload, delivery.signature);
        if (result.outcome() != WebhookOutcome.CREDITED) {
            throw new IllegalStateException("a fresh paid checkout was not credited: " + result.httpStatus()
                    + " " + result.outcome() + " " + result.message());
        }
        return result;
    }

    private static String readTemplate() {
        try (InputStream in = WebhookBenchmark.class.getResourceAsStream("checkout.session.completed.json")) {
            if (in == null) {
                throw new IllegalStateException("checkout.session.completed.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
