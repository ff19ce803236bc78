package dev.stripeflare.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.LedgerAssertions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady load on an H2 file with retention on (ADR 30): keyed charges (48-character keys, each
 * retried once), credits with partial refunds, token rotations, and the host's maintenance
 * (prune and compact for at most 50 ms every 200 ms, archive ledgers every second). The key window and
 * retentions are seconds long so that a short run reaches its steady state; what matters is
 * that what is kept stops growing. Asserts that the file and the live heap (after GC) stop
 * growing and that balances equal ledgers and answers; reports sizes per charge and latency
 * percentiles per window. Stable p99 is asserted only in long runs (a loaded 2-core build
 * machine makes short-run timing noise).
 *
 * <p>Default 48 s; {@code -Dstripeflare.soak.minutes=600} for hours. {@code
 * -Dstripeflare.soak.rate=1000} charges per second in total (0: as fast as it goes);
 * {@code -Dstripeflare.soak.retention=false} runs the same load without maintenance or archive
 * and {@code -Dstripeflare.soak.compact=false} without online compaction (together with
 * {@code -Dstripeflare.soak.h2=";RETENTION_TIME=45000"}, H2's default: the store as it grew
 * before ADR 30); {@code -Dstripeflare.soak.h2=";…"} replaces the file store's
 * {@code RETENTION_TIME} by the H2 settings given.
 */
class SoakTest {

    private static final double MINUTES = Double.parseDouble(System.getProperty("stripeflare.soak.minutes", "0.8"));
    private static final int RATE = Integer.getInteger("stripeflare.soak.rate", 1_000);
    private static final boolean RETENTION = Boolean.parseBoolean(System.getProperty("stripeflare.soak.retention",
            "true"));
    private static final String H2_SETTINGS = System.getProperty("stripeflare.soak.h2", "");
    private static final boolean COMPACT = Boolean.parseBoolean(System.getProperty("stripeflare.soak.compact",
            "true"));
    private static final int USERS = 1_000;
    private static final int CHARGERS = 3;
    private static final Duration KEY_WINDOW = Duration.ofSeconds(2);
    private static final Duration OPERATIONS = Duration.ofSeconds(4);
    private static final Duration PAYMENTS = Duration.ofSeconds(6);
    private static final Duration ARCHIVE_AFTER = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    private final AtomicLong charged = new AtomicLong();
    private final AtomicLong chargedCents = new AtomicLong();
    private final AtomicLong creditedCents = new AtomicLong();
    private final AtomicLong reversedCents = new AtomicLong();
    private final AtomicLong replayMisses = new AtomicLong();
    private final ConcurrentHashMap<Integer, String> tokens = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final AtomicLong compactNanos = new AtomicLong();

    @Test
    void fileAndHeapStayBoundedUnderSteadyLoadWithRetention() throws Exception {
        Path base = dir.resolve("soak");
        H2UserStore.Builder builder = H2UserStore.builder().file(base);
        if (!H2_SETTINGS.isEmpty()) {
            // The file store's own URL without its RETENTION_TIME, then the settings to try.
            JdbcDataSource source = new JdbcDataSource();
            source.setURL("jdbc:h2:file:" + base.toAbsolutePath() + ";WRITE_DELAY=100;MAX_COMPACT_TIME=0"
                    + ";QUERY_CACHE_SIZE=0;LOCK_TIMEOUT=10000" + H2_SETTINGS);
            source.setUser("sa");
            source.setPassword("");
            builder = H2UserStore.builder().dataSource(source);
        }
        Path file = dir.resolve("soak.mv.db");
        long runNanos = (long) (MINUTES * 60e9);
        List<long[]> samples = new ArrayList<>(); // {seconds, file bytes, heap bytes, charges, rows kept}
        try (H2UserStore store = builder.build()) {
            for (int i = 0; i < USERS; i++) {
                tokens.put(i, "user-" + i + "-0");
                store.credit(credit("register:" + i, tokens.get(i), 1_000_000_000L, Instant.now()));
                creditedCents.addAndGet(1_000_000_000L);
            }
            ExecutorService threads = Executors.newFixedThreadPool(CHARGERS + 2);
            List<Future<?>> work = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < CHARGERS; t++) {
                work.add(threads.submit(() -> charge(store, start)));
            }
            work.add(threads.submit(() -> creditsAndRotations(store)));
            work.add(threads.submit(() -> maintain(store)));
            long next = start;
            while (System.nanoTime() - start < runNanos) {
                next += 1_000_000_000L;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                long heap = samples.size() % 10 == 9 ? liveHeap() : -1;
                samples.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, Files.size(file), heap,
                        charged.get(), rows(base)});
            }
            running = false;
            for (Future<?> f : work) {
                f.get();
            }
            threads.shutdown();
            checkInvariants(store);
        }
        report(samples, Files.size(file));
        assertBounded(samples);
    }

    private void charge(H2UserStore store, long start) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long perThreadNanos = RATE == 0 ? 0 : 1_000_000_000L * CHARGERS / RATE;
        long next = System.nanoTime();
        List<long[]> window = new ArrayList<>();
        while (running) {
            if (perThreadNanos > 0) {
                next = Math.max(next + perThreadNanos, System.nanoTime() - 1_000_000_000L); // no catch-up bursts
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            int user = random.nextInt(USERS);
            String key = String.format(Locale.ROOT, "%048x", random.nextLong() & Long.MAX_VALUE);
            Debit debit = new Debit(TokenHashes.of(tokens.get(user)), 1 + random.nextInt(100), false, key, null,
                    Instant.now());
            long t0 = System.nanoTime();
            ChargeResult result = store.charge(debit);
            long took = System.nanoTime() - t0;
            window.add(new long[] {(t0 - start) / 10_000_000_000L, took});
            if (result.outcome() == ChargeOutcome.CHARGED) {
                charged.incrementAndGet();
                chargedCents.addAndGet(debit.amountCents());
                ChargeResult replay = store.charge(new Debit(debit.tokenHash(), debit.amountCents(), false, key,
                        null, Instant.now()));
                if (replay.outcome() == ChargeOutcome.CHARGED) {
                    replayMisses.incrementAndGet();
                    chargedCents.addAndGet(debit.amountCents());
                }
            }
            if (window.size() == 1_000) {
                latencies.addAll(window);
                window = new ArrayList<>();
            }
        }
        latencies.addAll(window);
    }

    private void creditsAndRotations(H2UserStore store) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long n = 0;
        while (running) {
            n++;
            int user = random.nextInt(USERS);
            String op = "checkout:soak-" + n;
            CreditResult credit = store.credit(credit(op, tokens.get(user), 500, Instant.now()));
            if (credit.status() == CreditResult.Status.APPLIED) {
                creditedCents.addAndGet(500);
            }
            reversedCents.addAndGet(store.reverse(new PaymentReversal("refund:soak-" + n, "pi_" + op, 200,
                    LedgerEntryKind.REFUND, null, Instant.now())).movedCents());
            if (n % 5 == 0) {
                int who = random.nextInt(USERS);
                String old = tokens.get(who);
                String fresh = "user-" + who + "-" + n;
                if (store.rotateToken(TokenHashes.of(old), TokenHashes.of(fresh))) {
                    tokens.put(who, fresh);
                }
            }
            sleepMillis(20);
        }
    }

    private void maintain(H2UserStore store) {
        long lastArchive = System.nanoTime();
        while (running) {
            if (RETENTION) {
                Instant now = Instant.now();
                MaintenanceReport report;
                do {
                    report = store.maintain(new MaintenanceRequest(now.minus(KEY_WINDOW), now.minus(OPERATIONS),
                            now.minus(PAYMENTS), 1_000));
                } while (report.more() && running);
                if (System.nanoTime() - lastArchive > 1_000_000_000L) {
                    store.archiveBefore(now.minus(ARCHIVE_AFTER), (userId, entries) -> { });
                    lastArchive = System.nanoTime();
                }
                long t = System.nanoTime();
                if (COMPACT) {
                    store.compact(Duration.ofMillis(50));
                }
                compactNanos.addAndGet(System.nanoTime() - t);
            }
            sleepMillis(200);
        }
    }

    private void checkInvariants(H2UserStore store) {
        assertThat(replayMisses.get()).as("retries within the key window that charged again").isZero();
        long total = 0;
        for (long userId = 1; userId <= USERS; userId++) {
            LedgerAssertions.assertBalanceMatchesLedger(store, userId);
            total += store.findById(userId).orElseThrow().balanceCents();
        }
        assertThat(total).as("balances = credits - charges - refunds")
                .isEqualTo(creditedCents.get() - chargedCents.get() - reversedCents.get());
    }

    private void report(List<long[]> samples, long finalSize) {
        long charges = charged.get();
        System.out.printf(Locale.ROOT, "soak: %s, %.1f min, rate %s, %,d charges, file %.1f MB at the end"
                        + " = %.0f B per charge%n", RETENTION ? "retention on" : "retention off", MINUTES,
                RATE == 0 ? "full speed" : RATE + "/s", charges, finalSize / 1e6, (double) finalSize / charges);
        for (long[] s : samples) {
            if (s[2] >= 0) {
                System.out.printf(Locale.ROOT, "soak: t=%ds file %.1f MB, %,d rows kept, live heap %.1f MB,"
                        + " %,d charges%n", s[0], s[1] / 1e6, s[4], s[2] / 1e6, s[3]);
            }
        }
        System.out.printf(Locale.ROOT, "soak: compaction (%s) took %.1f s in all%n", COMPACT, compactNanos.get() / 1e9);
        for (long[] p : percentilesByWindow()) {
            System.out.printf(Locale.ROOT, "soak: window %ds.. charge p50 %d us, p99 %d us, p99.9 %d us%n",
                    p[0] * 10, p[1] / 1_000, p[2] / 1_000, p[3] / 1_000);
        }
    }

    /** Per 10 s window: {window, p50, p99, p99.9} in nanoseconds. */
    private List<long[]> percentilesByWindow() {
        List<long[]> all = new ArrayList<>(latencies);
        long windows = all.stream().mapToLong(l -> l[0]).max().orElse(-1) + 1;
        List<long[]> result = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            int window = w;
            long[] sorted = all.stream().filter(l -> l[0] == window).mapToLong(l -> l[1]).sorted().toArray();
            if (sorted.length > 100) {
                result.add(new long[] {w, at(sorted, 0.5), at(sorted, 0.99), at(sorted, 0.999)});
            }
        }
        return result;
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }

    /**
     * After the first half (the steady state: everything older than the retentions is pruned,
     * and H2's retained chunks reused, by then), nothing may keep growing: the rows kept (keys,
     * ledger, operation ids, payments, checkouts, deferred reversals) and the live heap at the end
     * are at most 1.5 times the first half's largest (plus slack), and the file at most 3 times
     * (its size also follows the write rate over H2's chunk retention, which a loaded machine
     * makes bursty; long runs show it flat). In long runs the last window's charge p99 is at most
     * 3 times the first steady window's.
     */
    private void assertBounded(List<long[]> samples) {
        if (!RETENTION) {
            return;
        }
        int half = samples.size() / 2;
        long earlyRows = samples.subList(0, half + 1).stream().mapToLong(s -> s[4]).max().orElseThrow();
        long earlyFile = samples.subList(0, half + 1).stream().mapToLong(s -> s[1]).max().orElseThrow();
        long[] last = samples.get(samples.size() - 1);
        assertThat(last[4]).as("rows kept at the end vs. the first half's largest")
                .isLessThanOrEqualTo(earlyRows * 3 / 2 + 5_000);
        assertThat(last[1]).as("file size at the end vs. the first half's largest")
                .isLessThanOrEqualTo(earlyFile * 3 + 64_000_000L);
        long[] heaps = samples.stream().filter(s -> s[2] >= 0).mapToLong(s -> s[2]).toArray();
        if (heaps.length >= 2) {
            assertThat(heaps[heaps.length - 1]).as("live heap at the end vs. the first sample: %s",
                            Arrays.toString(heaps))
                    .isLessThanOrEqualTo(heaps[0] * 3 / 2 + 32_000_000L);
        }
        List<long[]> windows = percentilesByWindow();
        if (MINUTES >= 10 && windows.size() >= 4) {
            assertThat(windows.get(windows.size() - 2)[2]).as("p99 of the last full window vs. the first steady one")
                    .isLessThanOrEqualTo(windows.get(1)[2] * 3 + 1_000_000L);
        }
    }

    /** Rows of every table retention prunes, read on a second connection to the open database. */
    private static long rows(Path base) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(),
                "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM SF.IDEMPOTENCY)"
                     + " + (SELECT COUNT(*) FROM SF.LEDGER) + (SELECT COUNT(*) FROM SF.OPERATIONS)"
                     + " + (SELECT COUNT(*) FROM SF.PAYMENTS) + (SELECT COUNT(*) FROM SF.REVERSALS)"
                     + " + (SELECT COUNT(*) FROM SF.CHECKOUT_CLAIMS) + (SELECT COUNT(*) FROM SF.DEFERRED_REVERSALS)")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static PaymentCredit credit(String operationId, String token, long cents, Instant at) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents, "pi_" + operationId,
                new PaymentProfile(null, null, null, null), null, null, null, at);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
