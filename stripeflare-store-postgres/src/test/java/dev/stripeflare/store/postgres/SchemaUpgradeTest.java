package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A schema written by an older release (version 5: before retention, grants and later versions)
 * is upgraded in place on start: its money, keys, operation ids and payments keep working, rows
 * without a recording time count from the upgrade (ADR 30), and maintenance prunes them only
 * once their retention has passed from then.
 */
class SchemaUpgradeTest {

    private static final int OLD_VERSION = 5;
    private static final Instant PAID_AT = Instant.parse("2026-01-01T00:00:00Z");

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
    void aVersionFiveSchemaIsUpgradedWithItsMoneyKeysAndOperationIdsIntact() throws SQLException {
        String schema = database.newSchema();
        writeVersionFiveSchema(schema);
        Instant upgradedAfter = Instant.now().minusSeconds(1);

        try (PostgresUserStore store = PostgresUserStore.of(database.pool(2), schema)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
            String alice = TokenHashes.of("alice");
            long userId = store.findByTokenHash(alice).orElseThrow().userId();
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(70);
            assertThat(store.ledger(userId).stream().mapToLong(LedgerEntry::amountCents).sum()).isEqualTo(70);

            ChargeResult replay = store.charge(new Debit(alice, 30, false, "key-1", null, Instant.now()));
            assertThat(replay.outcome()).as("the old key still answers its charge").isEqualTo(ChargeOutcome.REPLAYED);
            assertThat(replay.balanceCents()).isEqualTo(70);
            assertThat(store.credit(credit("checkout:cs_1", "alice", 100)).status())
                    .as("the old operation id is still a duplicate").isEqualTo(CreditResult.Status.DUPLICATE);

            // Cut-offs just before the upgrade: the operation id, which always had its time, is
            // pruned by it; the key and the payment, which had none, count from the upgrade.
            MaintenanceReport early = store.maintain(new MaintenanceRequest(upgradedAfter, upgradedAfter,
                    upgradedAfter, 100));
            assertThat(early.operations()).isEqualTo(1);
            assertThat(early.idempotencyKeys()).isZero();
            assertThat(early.payments()).isZero();
            assertThat(early.checkouts()).isZero();
            ReversalResult refund = store.reverse(new PaymentReversal("refund:re_1", "pi_1", 500,
                    LedgerEntryKind.REFUND, null, Instant.now()));
            assertThat(refund.movedCents()).as("capped at the old payment").isEqualTo(100);
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(-30);

            // Past every retention, the old key is forgotten like any other.
            Instant later = Instant.now().plus(Duration.ofDays(600));
            MaintenanceReport late = store.maintain(new MaintenanceRequest(later, later, later, 100));
            assertThat(late.idempotencyKeys()).isEqualTo(1);
            assertThat(store.credit(credit("checkout:cs_2", "alice", 100)).status())
                    .isEqualTo(CreditResult.Status.APPLIED);
            assertThat(store.charge(new Debit(alice, 30, false, "key-1", null, Instant.now())).outcome())
                    .isEqualTo(ChargeOutcome.CHARGED);
            assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(40);
            assertThat(store.ledger(userId).stream().mapToLong(LedgerEntry::amountCents).sum()).isEqualTo(40);
        }
    }

    /** The tables of versions 1 to 5 as that release made them, holding one paid account that charged once. */
    private static void writeVersionFiveSchema(String schema) throws SQLException {
        Sql sql = new Sql(schema);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement()) {
            c.setAutoCommit(false); // version 5 locks the ledger while it installs its trigger
            s.execute("CREATE SCHEMA " + Sql.quote(schema));
            s.execute(sql.of("CREATE TABLE @schema_version (version integer PRIMARY KEY, description text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())"));
            for (Migrations.Version version : Migrations.VERSIONS) {
                if (version.number() > OLD_VERSION) {
                    break;
                }
                for (String statement : version.statements()) {
                    s.execute(sql.of(statement));
                }
                s.execute(sql.of("INSERT INTO @schema_version (version, description) VALUES ("
                        + version.number() + ", 'v" + version.number() + "')"));
            }
            String at = "TIMESTAMPTZ '" + PAID_AT + "'";
            s.execute(sql.of("INSERT INTO @accounts (user_id, balance, created_at) VALUES (1, 70, " + at + ")"));
            s.execute(sql.of("INSERT INTO @token_hashes (token_hash, user_id) VALUES ('"
                    + TokenHashes.of("alice") + "', 1)"));
            s.execute(sql.of("INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, at) VALUES"
                    + " (1, 100, 100, 'PAYMENT', 'checkout:cs_1', " + at + "),"
                    + " (1, -30, 70, 'CHARGE', 'key-1', " + at + ")"));
            s.execute(sql.of("INSERT INTO @idempotency_keys (user_id, idem_key, amount, balance_after)"
                    + " VALUES (1, 'key-1', 30, 70)"));
            s.execute(sql.of("INSERT INTO @operations (operation_id, kind, user_id, moved_cents, payment_ref, at)"
                    + " VALUES ('checkout:cs_1', 'CREDIT', 1, 100, 'pi_1', " + at + ")"));
            s.execute(sql.of("INSERT INTO @payments (payment_ref, user_id, credited_cents) VALUES ('pi_1', 1, 100)"));
            s.execute(sql.of("INSERT INTO @checkouts (checkout_id, credited_user_id, credited_token_hash)"
                    + " VALUES ('cs_1', 1, '" + TokenHashes.of("alice") + "')"));
            s.execute(sql.of("SELECT setval(pg_get_serial_sequence('@accounts', 'user_id'), 1)"));
            c.commit();
        }
    }
}
