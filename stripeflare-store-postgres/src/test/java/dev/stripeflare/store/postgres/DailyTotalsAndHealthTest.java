package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admin totals per day come from daily_totals, kept by a trigger on every ledger insert: they
 * must equal the ledger scan they replaced after every kind of entry, under 8 threads, and after
 * an upgrade from schema 2. And {@link PostgresUserStore#health()} follows the server.
 */
class DailyTotalsAndHealthTest {

    private static final LocalDate FIRST = LocalDate.parse("2026-01-01");
    private static final LocalDate LAST = LocalDate.parse("2026-01-10");

    private static PostgresTestDatabase database;
    private static DataSource pool;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
        pool = database.pool(12);
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void totalsEqualTheLedgerScanAfterChargesCreditsReversalsAndRestorations() throws SQLException {
        String schema = database.newSchema();
        try (PostgresUserStore store = PostgresUserStore.of(pool, schema)) {
            Random random = new Random(11);
            List<String> payments = new ArrayList<>();
            List<String> reversals = new ArrayList<>();
            for (int n = 0; n < 400; n++) {
                Instant at = T0.plusSeconds(random.nextInt(10 * 86_400));
                String token = "t" + random.nextInt(12);
                int r = random.nextInt(100);
                if (r < 30 || payments.isEmpty()) {
                    store.credit(credit("c" + n, token, 1 + random.nextInt(900), at));
                    payments.add("pi_c" + n);
                } else if (r < 75) {
                    String key = random.nextBoolean() ? "k" + random.nextInt(200) : null;
                    try {
                        store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(300),
                                random.nextInt(8) == 0, key, null, at));
                    } catch (IdempotencyKeyReusedException reused) {
                        // refused, nothing changed
                    }
                } else if (r < 90) {
                    String payment = random.nextInt(6) == 0 ? "pi_c" + (n + 1 + random.nextInt(5))
                            : payments.get(random.nextInt(payments.size()));
                    store.reverse(new PaymentReversal("r" + n, payment, 1 + random.nextInt(400),
                            random.nextBoolean() ? LedgerEntryKind.REFUND : LedgerEntryKind.DISPUTE, null, at));
                    reversals.add("r" + n);
                } else if (r < 95 && !payments.isEmpty()) {
                    // an operator's adjustment, either sign, to an account that exists
                    store.findByTokenHash(TokenHashes.of(token)).ifPresent(account -> store.adjust(
                            new Adjustment(account.userId(), (account.userId() + at.getEpochSecond()) % 2 == 0 ? 50 : -20, true, "test",
                                    "a" + account.userId() + "-" + at.getEpochSecond(), at)));
                } else if (!reversals.isEmpty()) {
                    store.restore(new PaymentRestoration("s" + n, reversals.get(random.nextInt(reversals.size())),
                            LedgerEntryKind.DISPUTE_WON, null, at));
                }
            }
            List<DailyTotal> fast = store.admin().totalsPerDay(FIRST, LAST);
            assertThat(fast).hasSizeGreaterThan(5).isEqualTo(ledgerScan(schema, FIRST, LAST));
            assertThat(store.admin().totalsPerDay(FIRST.plusDays(2), FIRST.plusDays(2)))
                    .isEqualTo(ledgerScan(schema, FIRST.plusDays(2), FIRST.plusDays(2)));
        }
    }

    @Test
    void eightThreadsKeepTotalsEqualToTheLedger() throws SQLException {
        String schema = database.newSchema();
        try (PostgresUserStore store = PostgresUserStore.of(pool, schema)) {
            for (int t = 0; t < 8; t++) {
                store.credit(credit("seed" + t, "t" + t, 100_000, T0));
            }
            ConcurrentRun.race(8, Duration.ofSeconds(120), thread -> {
                Random random = new Random(thread);
                for (int n = 0; n < 300; n++) {
                    Instant at = random.nextInt(4) == 0 ? T0.plusSeconds(86_400L * (1 + random.nextInt(5))) : T0;
                    String token = "t" + random.nextInt(8);
                    int r = random.nextInt(10);
                    if (r < 6) {
                        store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(50), false,
                                random.nextBoolean() ? "k" + thread + "-" + n : null, null, at));
                    } else if (r < 9) {
                        store.credit(credit("c" + thread + "-" + n, token, 1 + random.nextInt(90), at));
                    } else {
                        store.reverse(new PaymentReversal("r" + thread + "-" + n, "pi_seed" + random.nextInt(8),
                                1 + random.nextInt(30), LedgerEntryKind.REFUND, null, at));
                    }
                }
                return null;
            });
            assertThat(store.admin().totalsPerDay(FIRST, LAST)).isEqualTo(ledgerScan(schema, FIRST, LAST));
        }
    }

    @Test
    void aSchemaOfVersion4GetsItsTotalsFromItsLedgerWhenMigratedAndDeletionKeepsThem() throws SQLException {
        String schema = database.newSchema();
        long deleted;
        try (PostgresUserStore store = PostgresUserStore.of(pool, schema)) {
            deleted = store.credit(credit("c1", "a", 500, T0)).userId();
            store.credit(credit("c2", "b", 300, T0.plusSeconds(86_400)));
            store.charge(new Debit(TokenHashes.of("a"), 120, false, null, null, T0.plusSeconds(86_400)));
        }
        database.execute("DROP TRIGGER ledger_daily_totals ON " + schema + ".ledger");
        database.execute("DROP TABLE " + schema + ".daily_totals");
        database.execute("DELETE FROM " + schema + ".schema_version WHERE version >= 5"); // and the versions after it
        try (PostgresUserStore store = PostgresUserStore.of(pool, schema)) {
            store.charge(new Debit(TokenHashes.of("b"), 5, false, null, null, T0.plusSeconds(86_400)));
            List<DailyTotal> expected = List.of(new DailyTotal(FIRST, 500, 0, 1),
                    new DailyTotal(FIRST.plusDays(1), 300, 125, 3));
            assertThat(store.admin().totalsPerDay(FIRST, LAST)).isEqualTo(expected);
            assertThat(ledgerScan(schema, FIRST, LAST)).isEqualTo(expected);
            assertThat(store.deleteUser(deleted)).isTrue();
            assertThat(store.admin().totalsPerDay(FIRST, LAST)).as("totals keep what a deleted account moved")
                    .isEqualTo(expected);
        }
    }

    @Test
    void healthFollowsTheServerAndSaysDownAfterClose() {
        SwitchableDataSource source = new SwitchableDataSource(database.pool(2));
        PostgresUserStore store = PostgresUserStore.of(source, database.newSchema());
        try {
            assertThat(store.health().status()).isEqualTo(StoreHealth.Status.UP);
            source.broken = true;
            StoreHealth down = store.health();
            assertThat(down.status()).isEqualTo(StoreHealth.Status.DOWN);
            assertThat(down.detail()).contains("connection refused in this test");
            source.broken = false;
            assertThat(store.health().status()).isEqualTo(StoreHealth.Status.UP);
        } finally {
            store.close();
        }
        assertThat(store.health().status()).isEqualTo(StoreHealth.Status.DOWN);
    }

    private static PaymentCredit credit(String op, String token, long cents, Instant at) {
        return new PaymentCredit(op, TokenHashes.of(token), cents, "pi_" + op, PaymentProfile.empty(), null, null,
                null, at);
    }

    /** The query totalsPerDay ran before daily_totals: a scan of the ledger. */
    private static List<DailyTotal> ledgerScan(String schema, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             PreparedStatement q = c.prepareStatement("SELECT CAST(at AT TIME ZONE 'UTC' AS date),"
                     + " coalesce(sum(amount) FILTER (WHERE amount > 0), 0),"
                     + " coalesce(-sum(amount) FILTER (WHERE amount < 0), 0), count(*) FROM " + schema + ".ledger"
                     + " WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 1")) {
            q.setObject(1, from.atStartOfDay().atOffset(java.time.ZoneOffset.UTC));
            q.setObject(2, to.plusDays(1).atStartOfDay().atOffset(java.time.ZoneOffset.UTC));
            List<DailyTotal> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailyTotal(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4)));
                }
            }
            return out;
        }
    }

    /** A data source that refuses connections while {@link #broken}, as a server that went away. */
    private static final class SwitchableDataSource implements DataSource {
        private final DataSource delegate;
        volatile boolean broken;

        SwitchableDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (broken) {
                throw new SQLException("connection refused in this test", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }
}
