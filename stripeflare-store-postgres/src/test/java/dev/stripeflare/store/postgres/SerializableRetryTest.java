package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntryKind;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store on pools that run SERIALIZABLE (an application's choice): PostgreSQL aborts
 * conflicting steps with serialization failures, and the store reruns them, bounded, so
 * callers see only correct answers.
 */
@Timeout(300)
class SerializableRetryTest {

    private static final String SERIALIZABLE = "TRANSACTION_SERIALIZABLE";

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
    void aChargeAbortedByASerializationFailureIsRerunAndChargesOnce() throws Exception {
        String schema = database.newSchema();
        try (PostgresUserStore store = PostgresUserStore.of(database.pool(2, SERIALIZABLE), schema);
             Connection blocker = DriverManager.getConnection(database.jdbcUrl())) {
            long userId = store.credit(credit("checkout:cs_1", "alice", 100)).userId();
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.executeUpdate("UPDATE " + schema + ".accounts SET balance = balance + 5 WHERE user_id = " + userId);
            }
            int before = store.conflictRetries();
            // The charge's UPDATE waits for the blocker's row lock; when the blocker commits, the
            // row changed after the charge's snapshot: SERIALIZABLE aborts it with 40001.
            CompletableFuture<ChargeResult> charge = CompletableFuture.supplyAsync(() -> store.charge(debit("alice", 30)));
            awaitWaitingOnALock(schema);
            blocker.commit();
            assertThat(charge.get(60, TimeUnit.SECONDS).balanceCents()).isEqualTo(75);
            assertThat(store.conflictRetries() - before).as("reruns after the serialization failure").isEqualTo(1);
            assertThat(store.ledger(userId).stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE)).hasSize(1);
        }
    }

    @Test
    void twoSerializableInstancesRacingDrainsAndFirstPaymentsKeepEveryInvariant() {
        String schema = database.newSchema();
        try (PostgresUserStore a = PostgresUserStore.of(database.pool(4, SERIALIZABLE), schema);
             PostgresUserStore b = PostgresUserStore.of(database.pool(4, SERIALIZABLE), schema)) {
            long userId = a.credit(credit("checkout:cs_drain", "drained", 500)).userId();
            List<Integer> charged = ConcurrentRun.race(8, Duration.ofSeconds(240), t -> {
                PostgresUserStore store = t % 2 == 0 ? a : b;
                int mine = 0;
                for (int i = 0; i < 100; i++) {
                    Debit debit = new Debit(TokenHashes.of("drained"), 1, false, i % 2 == 0 ? null : "k-" + t + "-" + i,
                            null, T0);
                    ChargeResult result = store.charge(debit);
                    assertThat(result.balanceCents()).isNotNegative();
                    mine += result.charged() ? 1 : 0;
                }
                // And a first payment with one shared card from every thread.
                store.credit(new PaymentCredit("checkout:same-" + t, TokenHashes.of("dev-" + t), 10, "pi_same-" + t,
                        new PaymentProfile(null, null, null, "card-shared"), null, null, null, T0));
                return mine;
            });
            assertThat(charged.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
            assertThat(a.findById(userId).orElseThrow().balanceCents()).isZero();
            LedgerAssertions.assertBalanceMatchesLedger(b, userId);
            HashSet<Long> sharedAccounts = new HashSet<>();
            for (int t = 0; t < 8; t++) {
                CreditResult again = b.credit(new PaymentCredit("checkout:same-" + t, TokenHashes.of("dev-" + t), 10,
                        "pi_same-" + t, PaymentProfile.empty(), null, null, null, T0));
                assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
                sharedAccounts.add(again.userId());
            }
            assertThat(sharedAccounts).as("accounts for one card").hasSize(1);
            assertThat(a.conflictRetries() + b.conflictRetries()).as("serialization failures rerun").isPositive();
        }
    }

    private static void awaitWaitingOnALock(String schema) throws SQLException, InterruptedException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE wait_event_type = 'Lock' AND position(? in query) > 0")) {
            s.setString(1, schema);
            for (int i = 0; i < 600; i++) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the charge never waited for the blocker's lock");
    }
}
