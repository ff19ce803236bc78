package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.LedgerAssertions;
import dev.stripeflare.tck.StoreFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("wallet");
    }

    @Test
    void userColumnAppearsAsCustomFieldOnceSet() throws SQLException {
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20) DEFAULT 'free'"))
                .migration(AppMigration.userColumn("2-note", "note", "VARCHAR(20)"))
                .build()) {
            long id = store.credit(credit("op1", "tok", 5)).userId();
            assertThat(store.findById(id).orElseThrow().customFields()).containsExactly(
                    java.util.Map.entry("plan", "free"));
        }
        assertThat(columns("SF", "ACCOUNTS")).contains("plan", "note");
    }

    @Test
    void userTablesExistForExistingAndNewUsersAndGoWithTheUser() throws SQLException {
        long before;
        try (H2UserStore store = H2UserStore.file(file())) {
            before = store.credit(credit("op1", "a", 5)).userId();
        }
        assertThat(schemas()).isEmpty();
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userTable("1-notes", "notes", "id BIGINT PRIMARY KEY, body VARCHAR"))
                .build()) {
            long after = store.credit(credit("op2", "b", 5)).userId();
            assertThat(schemas()).containsExactlyInAnyOrder("SF__U" + before, "SF__U" + after);
            assertThat(tables("SF__U" + after)).containsExactly("notes");
            store.deleteUser(before);
            assertThat(schemas()).containsExactly("SF__U" + after);
        }
    }

    @Test
    void failedMigrationNamesTheStepAndLeavesTheDatabaseAsItWas() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
        }
        List<String> columnsBefore = columns("SF", "ACCOUNTS");
        assertThatThrownBy(() -> H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-ok", "plan", "VARCHAR(20)"))
                .migration(AppMigration.userTable("2-ok", "notes", "id BIGINT"))
                .migration(AppMigration.userTable("3-broken", "bad", "id NOT_A_TYPE"))
                .build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("3-broken")
                .hasMessageContaining("create table bad");
        // Migrations before the broken one were complete and stay; the broken one left nothing.
        assertThat(columns("SF", "ACCOUNTS")).containsAll(columnsBefore).contains("plan");
        assertThat(schemas()).hasSize(1);
        assertThat(tables(schemas().get(0))).containsExactly("notes");
        assertThat(migrations()).containsExactly("1-ok", "2-ok");
    }

    @Test
    void failedColumnMigrationLeavesNoColumn() throws SQLException {
        assertThatThrownBy(() -> H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-bad", "plan", "NOT_A_TYPE"))
                .build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("1-bad")
                .hasMessageContaining("ADD COLUMN \"plan\"");
        assertThat(columns("SF", "ACCOUNTS")).doesNotContain("plan");
        assertThat(migrations()).isEmpty();
    }

    @Test
    void schemaLeftByACrashWithoutAccountIsDroppedOnOpen() throws SQLException {
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userTable("1-notes", "notes", "id BIGINT")).build()) {
            store.credit(credit("op1", "a", 5));
        }
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA SF__U999");
            c.createStatement().execute("CREATE TABLE SF__U999.\"notes\" (id BIGINT)");
        }
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userTable("1-notes", "notes", "id BIGINT")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(1);
        }
        assertThat(schemas()).hasSize(1).doesNotContain("SF__U999");
    }

    /** The built-in schema as store schema 1 made it (before tombstones, claims and capped reversals). */
    private static final List<String> STORE_SCHEMA_1 = List.of("CREATE TABLE IF NOT EXISTS MIGRATIONS (ID VARCHAR PRIMARY KEY, APPLIED_ORDER INT NOT NULL)",
            "CREATE SEQUENCE IF NOT EXISTS USER_IDS START WITH 1",
            "CREATE TABLE IF NOT EXISTS ACCOUNTS ("
                    + "USER_ID BIGINT PRIMARY KEY, BALANCE BIGINT NOT NULL, NAME VARCHAR, EMAIL VARCHAR,"
                    + " VERIFIED_EMAIL VARCHAR,"
                    + " VERIFIED_EMAIL_LC VARCHAR GENERATED ALWAYS AS (LOWER(VERIFIED_EMAIL)),"
                    + " CARD_FINGERPRINT VARCHAR, CREATED_AT TIMESTAMP(9) NOT NULL)",
            "CREATE INDEX IF NOT EXISTS ACCOUNTS_BY_CARD ON ACCOUNTS (CARD_FINGERPRINT, CREATED_AT, USER_ID)",
            "CREATE INDEX IF NOT EXISTS ACCOUNTS_BY_EMAIL ON ACCOUNTS (VERIFIED_EMAIL_LC, CREATED_AT, USER_ID)",
            "CREATE TABLE IF NOT EXISTS TOKENS (TOKEN_HASH VARCHAR PRIMARY KEY, USER_ID BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS TOKENS_BY_USER ON TOKENS (USER_ID)",
            "CREATE TABLE IF NOT EXISTS LEDGER ("
                    + "ENTRY_ID BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, USER_ID BIGINT NOT NULL,"
                    + " AMOUNT BIGINT NOT NULL, BALANCE_AFTER BIGINT NOT NULL, KIND VARCHAR(16) NOT NULL,"
                    + " OPERATION_ID VARCHAR, MEMO VARCHAR, AT TIMESTAMP(9) NOT NULL)",
            "CREATE INDEX IF NOT EXISTS LEDGER_BY_USER ON LEDGER (USER_ID, ENTRY_ID)",
            "CREATE TABLE IF NOT EXISTS IDEMPOTENCY (USER_ID BIGINT NOT NULL, IDEM_KEY VARCHAR NOT NULL,"
                    + " AMOUNT BIGINT NOT NULL, BALANCE_AFTER BIGINT NOT NULL, PRIMARY KEY (USER_ID, IDEM_KEY))",
            "CREATE TABLE IF NOT EXISTS OPERATIONS (OPERATION_ID VARCHAR PRIMARY KEY, KIND VARCHAR(16) NOT NULL,"
                    + " USER_ID BIGINT, REASON VARCHAR, AT TIMESTAMP(9) NOT NULL)",
            "CREATE TABLE IF NOT EXISTS PAYMENTS (PAYMENT_REF VARCHAR PRIMARY KEY, USER_ID BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS PAYMENTS_BY_USER ON PAYMENTS (USER_ID)",
            "CREATE TABLE IF NOT EXISTS DEFERRED_REVERSALS ("
                    + "SEQ BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, OPERATION_ID VARCHAR NOT NULL,"
                    + " PAYMENT_REF VARCHAR NOT NULL, AMOUNT BIGINT NOT NULL, KIND VARCHAR(16) NOT NULL,"
                    + " MEMO VARCHAR, AT TIMESTAMP(9) NOT NULL)",
            "CREATE INDEX IF NOT EXISTS DEFERRED_BY_PAYMENT ON DEFERRED_REVERSALS (PAYMENT_REF, SEQ)");

    @Test
    void fileOfStoreSchema1OpensMigratesAndKeepsWorking() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA SF");
            c.createStatement().execute("SET SCHEMA SF");
            for (String statement : STORE_SCHEMA_1) {
                c.createStatement().execute(statement);
            }
            c.createStatement().execute("INSERT INTO ACCOUNTS (USER_ID, BALANCE, CREATED_AT)"
                    + " VALUES (1, 300, TIMESTAMP '2026-01-01 00:00:00')");
            c.createStatement().execute("INSERT INTO TOKENS VALUES ('" + TokenHashes.of("old-tok") + "', 1)");
            c.createStatement().execute("INSERT INTO LEDGER (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, AT)"
                    + " VALUES (1, 500, 500, 'PAYMENT', 'op1', TIMESTAMP '2026-01-01 00:00:00'),"
                    + " (1, -200, 300, 'REFUND', 're1', TIMESTAMP '2026-01-01 00:00:01')");
            c.createStatement().execute("INSERT INTO OPERATIONS VALUES ('op1', 'CREDIT', 1, NULL,"
                    + " TIMESTAMP '2026-01-01 00:00:00'), ('re1', 'REVERSAL', 1, NULL, TIMESTAMP '2026-01-01 00:00:01')");
            c.createStatement().execute("INSERT INTO PAYMENTS VALUES ('pi_op1', 1)");
            c.createStatement().execute("SELECT NEXT VALUE FOR USER_IDS");
        }
        for (int open = 0; open < 2; open++) {
            try (H2UserStore store = H2UserStore.file(file())) {
                if (open == 0) {
                    assertThat(store.findByTokenHash(TokenHashes.of("old-tok")).orElseThrow().balanceCents())
                            .isEqualTo(300);
                    assertThat(store.credit(credit("op1", "old-tok", 500)).status())
                            .isEqualTo(CreditResult.Status.DUPLICATE);
                    ReversalResult restored = store.restore(new PaymentRestoration("won:1", "re1",
                            LedgerEntryKind.REFUND_FAILED, null, StoreFixtures.T0));
                    assertThat(restored.movedCents()).isEqualTo(200);
                    assertThat(store.reverse(refund("re2", "op1", 100)).movedCents()).isEqualTo(100);
                    assertThat(store.rotateToken(TokenHashes.of("old-tok"), TokenHashes.of("new-tok"))).isTrue();
                    long created = store.credit(credit("op2", "fresh", 50)).userId();
                    assertThat(created).isEqualTo(2);
                }
                assertThat(store.findByTokenHash(TokenHashes.of("new-tok")).orElseThrow().balanceCents())
                        .isEqualTo(400);
                assertThat(store.findByTokenHash(TokenHashes.of("old-tok"))).isEmpty();
                LedgerAssertions.assertBalanceMatchesLedger(store, 1);
            }
        }
        assertThat(strings("SELECT VERSION FROM SF.STORE_SCHEMA")).containsExactly("3");
        // Schema 3: rows from before it count their retention from the upgrade (ADR 30).
        assertThat(strings("SELECT COUNT(*) FROM SF.PAYMENTS WHERE AT IS NULL")).containsExactly("0");
        assertThat(strings("SELECT COUNT(*) FROM SF.IDEMPOTENCY WHERE AT IS NULL")).containsExactly("0");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath(), "sa", "");
    }

    private List<String> schemas() throws SQLException {
        return strings("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME LIKE 'SF\\_\\_U%'"
                + " ORDER BY 1");
    }

    private List<String> tables(String schema) throws SQLException {
        return strings("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "'");
    }

    private List<String> columns(String schema, String table) throws SQLException {
        return strings("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = '" + schema
                + "' AND TABLE_NAME = '" + table + "'");
    }

    private List<String> migrations() throws SQLException {
        return strings("SELECT ID FROM SF.MIGRATIONS ORDER BY APPLIED_ORDER");
    }

    private List<String> strings(String sql) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
