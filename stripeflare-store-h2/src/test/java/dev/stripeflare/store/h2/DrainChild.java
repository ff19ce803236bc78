package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link ShutdownDrainTest}: {@value #THREADS} threads charge
 * {@value #ACCOUNTS} accounts in a loop on a file store. Its shutdown hook, like a server's, drains
 * for {@value #DRAIN_MILLIS} ms (the threads keep charging), stops the threads, closes the store
 * and prints {@code DRAINED <acknowledged at the signal> <acknowledged in all> <failed during the
 * drain>}, then {@code CLOSED} once {@code close()} returned.
 */
public final class DrainChild {

    static final int THREADS = 4;
    static final int ACCOUNTS = 8;
    static final long DRAIN_MILLIS = 300;
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private DrainChild() {
    }

    static String token(int account) {
        return "drain-" + account;
    }

    public static void main(String[] args) {
        H2UserStore store = H2UserStore.file(Path.of(args[0]));
        for (int a = 0; a < ACCOUNTS; a++) {
            store.credit(new PaymentCredit("op-" + a, TokenHashes.of(token(a)), 1_000_000_000L, "pi_" + a,
                    PaymentProfile.empty(), null, null, null, AT));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean draining = new AtomicBoolean();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failedWhileDraining = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            threads.add(new Thread(() -> {
                for (long n = 0; !stop.get(); n++) {
                    try {
                        Debit debit = new Debit(TokenHashes.of(token((int) ((first + n) % ACCOUNTS))), 1, false, null,
                                null, AT);
                        if (store.charge(debit).outcome() == ChargeOutcome.CHARGED) {
                            acknowledged.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        if (draining.get()) {
                            failedWhileDraining.incrementAndGet();
                        }
                    }
                }
            }, "charger-" + t));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long atSignal = acknowledged.get();
            draining.set(true);
            try {
                Thread.sleep(DRAIN_MILLIS);
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("DRAINED " + atSignal + " " + acknowledged.get() + " " + failedWhileDraining.get());
            System.out.flush();
            store.close();
            System.out.println("CLOSED");
            System.out.flush();
        }, "drain"));
        threads.forEach(Thread::start);
        System.out.println("READY");
        System.out.flush();
    }
}
