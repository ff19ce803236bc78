package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store at scale: {@code -Dstripeflare.scale=true} (users: {@code -Dstripeflare.scale.users},
 * default 1 000 000). Loads the users in bulk, then reports file size, open time, heap and charge
 * latency percentiles for file and in-memory mode. Asserts only correctness; the numbers are for
 * the reader (claims come from JMH in stripeflare-bench).
 */
@EnabledIfSystemProperty(named = "stripeflare.scale", matches = "true")
class ScaleTest {

    private static final int USERS = Integer.getInteger("stripeflare.scale.users", 1_000_000);
    private static final int CHARGES = 200_000;
    private static final long START_BALANCE = 1_000_000;
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void fileStoreWithManyUsers() throws Exception {
        Path file = dir.resolve("scale");
        H2UserStore.file(file).close();
        long loadStart = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "")) {
            load(c);
        }
        report("file: bulk load of %,d users took %.1f s", USERS, seconds(loadStart));
        report("file: size %.1f MB", Files.size(dir.resolve("scale.mv.db")) / 1e6);

        long heapBefore = usedHeap();
        long openStart = System.nanoTime();
        try (H2UserStore store = H2UserStore.file(file)) {
            report("file: open took %.2f s", seconds(openStart));
            measure("file", store, heapBefore);
            durableCredits(store);
            assertConsistent(store);
        }
        long reopenStart = System.nanoTime();
        try (H2UserStore store = H2UserStore.file(file)) {
            report("file: reopen after charges took %.2f s", seconds(reopenStart));
            assertThat(store.admin().userCount()).isEqualTo(USERS + 1_000L);
        }
    }

    @Test
    void inMemoryStoreWithManyUsers() throws Exception {
        String name = "scale-" + UUID.randomUUID();
        long heapBefore = usedHeap();
        try (H2UserStore store = H2UserStore.inMemory(name);
             Connection c = DriverManager.getConnection("jdbc:h2:mem:" + name, "sa", "")) {
            long loadStart = System.nanoTime();
            load(c);
            report("memory: bulk load of %,d users took %.1f s", USERS, seconds(loadStart));
            measure("memory", store, heapBefore);
            assertConsistent(store);
        }
    }

    private static void load(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement account = c.prepareStatement(
                "INSERT INTO SF.ACCOUNTS (USER_ID, BALANCE, EMAIL, CREATED_AT) VALUES (?, ?, ?, ?)");
             PreparedStatement token = c.prepareStatement("INSERT INTO SF.TOKENS (TOKEN_HASH, USER_ID) VALUES (?, ?)");
             PreparedStatement ledger = c.prepareStatement("INSERT INTO SF.LEDGER"
                     + " (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, AT) VALUES (?, ?, ?, 'PAYMENT', ?, ?)");
             PreparedStatement op = c.prepareStatement(
                     "INSERT INTO SF.OPERATIONS (OPERATION_ID, KIND, USER_ID, AT) VALUES (?, 'CREDIT', ?, ?)")) {
            LocalDateTime at = LocalDateTime.ofInstant(AT, ZoneOffset.UTC);
            for (long id = 1; id <= USERS; id++) {
                account.setLong(1, id);
                account.setLong(2, START_BALANCE);
                account.setString(3, "user" + id + "@example.com");
                account.setObject(4, at);
                account.addBatch();
                token.setString(1, TokenHashes.of("user-" + id));
                token.setLong(2, id);
                token.addBatch();
                ledger.setLong(1, id);
                ledger.setLong(2, START_BALANCE);
                ledger.setLong(3, START_BALANCE);
                ledger.setString(4, "seed-" + id);
                ledger.setObject(5, at);
                ledger.addBatch();
                op.setString(1, "seed-" + id);
                op.setLong(2, id);
                op.setObject(3, at);
                op.addBatch();
                if (id % 10_000 == 0) {
                    account.executeBatch();
                    token.executeBatch();
                    ledger.executeBatch();
                    op.executeBatch();
                    c.commit();
                }
            }
            account.executeBatch();
            token.executeBatch();
            ledger.executeBatch();
            op.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER SEQUENCE SF.USER_IDS RESTART WITH " + (USERS + 1));
        }
        c.commit();
    }

    private static void measure(String mode, UserStore store, long heapBefore) {
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            store.charge(debit(random, i));
        }
        long[] nanos = new long[CHARGES];
        for (int i = 0; i < CHARGES; i++) {
            Debit debit = debit(random, i);
            long start = System.nanoTime();
            boolean charged = store.charge(debit).charged();
            nanos[i] = System.nanoTime() - start;
            assertThat(charged).isTrue();
        }
        Arrays.sort(nanos);
        report("%s: charge p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f ms (%,d charges, 1 thread,"
                        + " 1 in 4 with an idempotency key)", mode, nanos[CHARGES / 2] / 1e3,
                nanos[(int) (CHARGES * 0.99)] / 1e3, nanos[(int) (CHARGES * 0.999)] / 1e3,
                nanos[CHARGES - 1] / 1e6, CHARGES);
        report("%s: heap used %.0f MB (after GC; %.0f MB before opening)", mode, usedHeap() / 1e6, heapBefore / 1e6);
    }

    private static Debit debit(Random random, int i) {
        String token = "user-" + (1 + random.nextInt(USERS));
        String key = i % 4 == 0 ? "req-" + i : null;
        return new Debit(TokenHashes.of(token), 1 + random.nextInt(5), false, key, null, AT);
    }

    private static void durableCredits(UserStore store) {
        int n = 1_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String op = "scale-credit-" + i;
            store.credit(new PaymentCredit(op, TokenHashes.of("new-" + i), 100, "pi_" + op,
                    PaymentProfile.empty(), null, null, null, AT));
        }
        double s = seconds(start);
        report("file: %,d durable credits (each creating an account) in %.2f s = %.0f/s on 1 thread", n, s, n / s);
    }

    private static void assertConsistent(H2UserStore store) {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            LedgerAssertions.assertBalanceMatchesLedger(store, 1 + random.nextInt(USERS));
        }
        assertThat(store.admin().usersByBalance(5)).allSatisfy(a -> assertThat(a.balanceCents()).isPositive());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void report(String format, Object... args) {
        System.out.println("[scale " + USERS + "] " + String.format(Locale.ROOT, format, args));
    }
}
