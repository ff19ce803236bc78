package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections killed mid-transaction ({@code pg_terminate_backend}) while credits and keyed
 * charges run: every failure surfaces as {@link StoreException}; retrying the same operation id
 * or key until it is answered applies it exactly once; nothing acknowledged is lost; the pool
 * recovers without a restart.
 */
@Timeout(300)
class BackendKillTest {

    private static final int USERS = 4;

    private static PostgresTestDatabase database;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void killedConnectionsLoseNothingAcknowledgedAndDoubleNothing() throws Exception {
        String schema = database.newSchema();
        String application = "sf-kill-" + schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setMaximumPoolSize(4);
        config.addDataSourceProperty("ApplicationName", application);
        try (HikariDataSource pool = new HikariDataSource(config);
             PostgresUserStore store = PostgresUserStore.of(pool, schema)) {
            long[] userIds = new long[USERS];
            for (int u = 0; u < USERS; u++) {
                userIds[u] = store.credit(credit("register:" + u, u, 1_000_000)).userId();
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger kills = new AtomicInteger();
            AtomicLong credited = new AtomicLong(USERS * 1_000_000L);
            AtomicLong charged = new AtomicLong();
            List<Object> done = ConcurrentRun.race(5, Duration.ofSeconds(240), t -> {
                if (t == 4) {
                    killFor(application, Duration.ofSeconds(4), kills);
                    running.set(false);
                    return null;
                }
                int n = 0;
                while (running.get()) {
                    int user = (t + n) % USERS;
                    if (t < 2) {
                        PaymentCredit payment = credit("checkout:cs_" + t + "_" + n, user, 100);
                        while (true) {
                            try {
                                store.credit(payment);
                                credited.addAndGet(100);
                                break;
                            } catch (StoreException e) {
                                failures.incrementAndGet();
                            }
                        }
                    } else {
                        Debit debit = new Debit(TokenHashes.of("user-" + user), 3, false, "key-" + t + "-" + n,
                                null, T0);
                        while (true) {
                            try {
                                ChargeResult result = store.charge(debit);
                                assertThat(result.charged()).as("charge %s", debit.idempotencyKey()).isTrue();
                                charged.addAndGet(3);
                                break;
                            } catch (StoreException e) {
                                failures.incrementAndGet();
                            }
                        }
                    }
                    n++;
                }
                return null;
            });
            assertThat(done).hasSize(5);
            assertThat(kills.get()).as("backends killed").isPositive();
            assertThat(failures.get()).as("calls that failed with StoreException").isPositive();

            // The pool recovered: the store answers without a restart.
            assertThat(store.charge(new Debit(TokenHashes.of("user-0"), 1, false, null, null, T0)).charged()).isTrue();
            charged.addAndGet(1);

            long left = 0;
            Map<String, Integer> seen = new HashMap<>();
            for (long userId : userIds) {
                LedgerAssertions.assertBalanceMatchesLedger(store, userId);
                left += store.findById(userId).orElseThrow().balanceCents();
                for (LedgerEntry e : store.ledger(userId)) {
                    if (e.operationId() != null) {
                        seen.merge(e.operationId(), 1, Integer::sum);
                    }
                }
            }
            assertThat(seen).allSatisfy((op, count) -> assertThat(count).as("entries of %s", op).isEqualTo(1));
            assertThat(left).as("credited %d − charged %d", credited.get(), charged.get())
                    .isEqualTo(credited.get() - charged.get());
            System.out.println("backend kill test: " + kills.get() + " backends killed, " + failures.get()
                    + " calls failed and were retried, " + seen.size() + " keyed operations applied once");
        }
    }

    private static PaymentCredit credit(String operationId, int user, long cents) {
        return new PaymentCredit(operationId, TokenHashes.of("user-" + user), cents, "pi_" + operationId,
                new PaymentProfile(null, null, null, "card-" + user), null, null, null, T0);
    }

    /** Terminates the store's backends every few milliseconds for {@code duration}. */
    private static void killFor(String application, Duration duration, AtomicInteger kills) {
        long end = System.nanoTime() + duration.toNanos();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             PreparedStatement kill = c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE application_name = ? AND state <> 'idle'")) {
            kill.setString(1, application);
            while (System.nanoTime() < end) {
                try (ResultSet rs = kill.executeQuery()) {
                    rs.next();
                    kills.addAndGet(rs.getInt(1));
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
