package dev.stripeflare.store.postgres;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application instance of {@link TwoProcessTest}, run as a child JVM: its own store and
 * HikariCP pool on the shared schema; 4 threads charge the shared users while a fifth delivers
 * every webhook credit of the shared list (in its own shuffled order). Prints
 * {@code RESULT charged=<cents> applied=<credits applied here>} and exits 0.
 *
 * <p>Arguments: jdbcUrl, schema, seed, users, credits, run millis.
 */
public final class TwoProcessWorker {

    private TwoProcessWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        long seed = Long.parseLong(args[2]);
        int users = Integer.parseInt(args[3]);
        int credits = Integer.parseInt(args[4]);
        long runMillis = Long.parseLong(args[5]);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        AtomicLong charged = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        try (PostgresUserStore store = PostgresUserStore.builder().jdbcUrl(url).schema(schema)
                .maximumPoolSize(5).build()) {
            System.out.println("READY");
            ExecutorService threads = Executors.newFixedThreadPool(5);
            List<Future<?>> work = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
            for (int t = 0; t < 4; t++) {
                Random random = new Random(seed * 31 + t);
                int thread = t;
                work.add(threads.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        String token = "user-" + random.nextInt(users);
                        String key = random.nextBoolean() ? null : "w" + seed + "-" + thread + "-" + n;
                        long cents = 1 + random.nextInt(5);
                        ChargeResult result = store.charge(new Debit(TokenHashes.of(token), cents, false, key,
                                null, at));
                        if (result.balanceCents() < 0) {
                            throw new IllegalStateException("overdrawn: " + result);
                        }
                        if (result.outcome() == ChargeOutcome.CHARGED) {
                            charged.addAndGet(cents);
                        }
                        n++;
                    }
                    return null;
                }));
            }
            work.add(threads.submit(() -> {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < credits; k++) {
                    order.add(k);
                }
                Collections.shuffle(order, new Random(seed));
                for (int k : order) {
                    CreditResult result = store.credit(credit(k, users, at));
                    if (result.status() == CreditResult.Status.APPLIED) {
                        applied.incrementAndGet();
                    }
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
            threads.shutdown();
        }
        System.out.println("RESULT charged=" + charged.get() + " applied=" + applied.get());
        System.out.flush();
    }

    /** The webhook credit number {@code k}: the same in every process. */
    static PaymentCredit credit(int k, int users, Instant at) {
        String op = "checkout:cs_two_" + k;
        return new PaymentCredit(op, TokenHashes.of("user-" + (k % users)), 50, "pi_" + op,
                new PaymentProfile(null, null, null, "card-user-" + (k % users)), null, null, null, at);
    }
}
