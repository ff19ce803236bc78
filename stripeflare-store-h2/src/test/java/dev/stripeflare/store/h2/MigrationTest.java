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
import java.nio.file.Files;
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
                .hasMessageContaining("create table bad")
                .hasMessageContaining("This attempt's 1 step(s) were undone")
                .hasMessageContaining("It is not recorded as applied and runs again at the next open")
                .hasMessageNotContaining("left as it was");
        // Migrations before the broken one were complete and stay; the broken one left nothing.
        assertThat(columns("SF", "ACCOUNTS")).containsAll(columnsBefore).contains("plan");
        assertThat(schemas()).hasSize(1);
        assertThat(tables(schemas().get(0))).containsExactly("notes");
        assertThat(migrations()).containsExactly("1-ok", "2-ok");
        assertThat(backup()).as("copy taken before migrating, not needed after a complete undo").doesNotExist();
    }

    @Test
    void failedColumnMigrationLeavesNoColumn() throws SQLException {
        assertThatThrownBy(() -> H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-bad", "plan", "NOT_A_TYPE"))
                .build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("1-bad")
                .hasMessageContaining("ADD COLUMN \"plan\"")
                .hasMessageContaining("This attempt had changed nothing");
        assertThat(columns("SF", "ACCOUNTS")).doesNotContain("plan");
        assertThat(migrations()).isEmpty();
    }

    @Test
    void aColumnAnInterruptedRunAddedIsRecordedNotAddedAgain() throws SQLException {
        long id;
        try (H2UserStore store = H2UserStore.file(file())) {
            id = store.credit(credit("op1", "a", 5)).userId();
        }
        // H2 committed the ALTER; the process died before the migration was recorded.
        execute("ALTER TABLE SF.ACCOUNTS ADD COLUMN \"plan\" VARCHAR(20) DEFAULT 'free'");
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "varchar(20) default 'free'")).build()) {
            assertThat(store.findById(id).orElseThrow().customFields()).containsEntry("plan", "free");
        }
        assertThat(migrations()).containsExactly("1-plan");
        assertThat(backup()).doesNotExist();
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedAndNothingIsRecorded() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
        }
        execute("ALTER TABLE SF.ACCOUNTS ADD COLUMN \"plan\" INT");
        assertThatThrownBy(() -> H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("ACCOUNTS already has a column \"plan\" that differs from the declared"
                        + " 'VARCHAR(20)'")
                .hasMessageContaining("This attempt had changed nothing");
        assertThat(migrations()).isEmpty();
        assertThat(strings("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'SF'"
                + " AND COLUMN_NAME = 'plan'")).containsExactly("INTEGER");
    }

    @Test
    void aCopyLeftBesideItsTableIsDroppedAndTheTableKept() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
            store.credit(credit("op2", "b", 7));
        }
        // H2 made and filled its copy, and was killed before dropping ACCOUNTS.
        execute("CREATE TABLE SF.ACCOUNTS_COPY_3_0 AS SELECT USER_ID, BALANCE FROM SF.ACCOUNTS WHERE USER_ID = 1",
                "CREATE INDEX SF.ACCOUNTS_COPY_3_0_ACCOUNTS_BY_CARD ON SF.ACCOUNTS_COPY_3_0 (USER_ID)");
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(2);
            assertThat(store.admin().totalBalanceCents()).isEqualTo(12);
        }
        assertThat(strings("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE '%\\_COPY\\_%'"))
                .isEmpty();
        assertThat(migrations()).containsExactly("1-plan");
    }

    @Test
    void aCopyWithoutItsTableIsRestoredWithItsIndexes() throws SQLException {
        long a;
        try (H2UserStore store = H2UserStore.file(file())) {
            a = store.credit(credit("op1", "a", 5)).userId();
            store.credit(credit("op2", "b", 7));
        }
        List<String> indexesBefore = accountIndexes();
        leaveACopyWithoutItsTable();
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20) DEFAULT 'free'")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(2);
            assertThat(store.findByTokenHash(TokenHashes.of("a")).orElseThrow().customFields()).containsEntry("plan", "free");
            LedgerAssertions.assertBalanceMatchesLedger(store, a);
            assertThat(store.findByVerifiedEmail("a@example.com")).isEmpty();
        }
        assertThat(accountIndexes()).isEqualTo(indexesBefore);
        assertThat(migrations()).containsExactly("1-plan");
    }

    @Test
    void anEmptyTableMadeAfterTheCopyWasLeftIsReplacedByTheCopy() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
            store.credit(credit("op2", "b", 7));
        }
        List<String> indexesBefore = accountIndexes();
        leaveACopyWithoutItsTable();
        // An older release opened it next and made ACCOUNTS again, empty, before failing.
        try (Connection c = connect()) {
            c.createStatement().execute("SET SCHEMA SF");
            for (String statement : BuiltInSchema.STATEMENTS) {
                // Its CREATE statements; an ALTER of the new ACCOUNTS would itself leave a copy.
                if (statement.startsWith("CREATE")) {
                    c.createStatement().execute(statement);
                }
            }
        }
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20) DEFAULT 'free'")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(2);
            assertThat(store.admin().totalBalanceCents()).isEqualTo(12);
        }
        assertThat(accountIndexes()).isEqualTo(indexesBefore);
    }

    @Test
    void aMissingTableWithSeveralCopiesIsRefusedAndNothingChanges() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
        }
        leaveACopyWithoutItsTable();
        execute("CREATE TABLE SF.ACCOUNTS_COPY_4_0 AS SELECT * FROM SF.ACCOUNTS_COPY_3_0");
        assertThatThrownBy(() -> H2UserStore.file(file()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("table SF.ACCOUNTS is missing and 2 copies")
                .hasMessageContaining("nothing was changed");
        assertThat(strings("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'SF'"
                + " AND TABLE_NAME LIKE 'ACCOUNTS%' ORDER BY 1")).containsExactly("ACCOUNTS_COPY_3_0", "ACCOUNTS_COPY_4_0");
    }

    /**
     * What H2 leaves when killed inside {@code ALTER TABLE ACCOUNTS ADD COLUMN "plan" …} after it
     * dropped ACCOUNTS and before it renamed the copy: the copy, full, its indexes named after it.
     */
    private void leaveACopyWithoutItsTable() throws SQLException {
        execute("CREATE TABLE SF.ACCOUNTS_COPY_3_0 (USER_ID BIGINT, BALANCE BIGINT NOT NULL, NAME VARCHAR,"
                        + " EMAIL VARCHAR, VERIFIED_EMAIL VARCHAR,"
                        + " VERIFIED_EMAIL_LC VARCHAR GENERATED ALWAYS AS (LOWER(VERIFIED_EMAIL)),"
                        + " CARD_FINGERPRINT VARCHAR, CREATED_AT TIMESTAMP(9) NOT NULL, \"plan\" VARCHAR(20) DEFAULT 'free',"
                        + " CONSTRAINT SF.ACCOUNTS_COPY_3_0_CONSTRAINT_PK PRIMARY KEY (USER_ID))",
                "INSERT INTO SF.ACCOUNTS_COPY_3_0 (USER_ID, BALANCE, NAME, EMAIL, VERIFIED_EMAIL, CARD_FINGERPRINT,"
                        + " CREATED_AT) SELECT USER_ID, BALANCE, NAME, EMAIL, VERIFIED_EMAIL, CARD_FINGERPRINT, CREATED_AT"
                        + " FROM SF.ACCOUNTS",
                "CREATE INDEX SF.ACCOUNTS_COPY_3_0_ACCOUNTS_BY_CARD ON SF.ACCOUNTS_COPY_3_0"
                        + " (CARD_FINGERPRINT, CREATED_AT, USER_ID)",
                "CREATE INDEX SF.ACCOUNTS_COPY_3_0_ACCOUNTS_BY_EMAIL ON SF.ACCOUNTS_COPY_3_0"
                        + " (VERIFIED_EMAIL_LC, CREATED_AT, USER_ID)",
                "DROP TABLE SF.ACCOUNTS");
    }

    private List<String> accountIndexes() throws SQLException {
        return strings("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'SF'"
                + " AND TABLE_NAME = 'ACCOUNTS' AND INDEX_NAME NOT LIKE 'PRIMARY%' ORDER BY 1");
    }

    @Test
    void aMigrationInterruptedByACrashStartsAgainFromTheFileAsItWas() throws Exception {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
        }
        // The copy a migrating open took, then a half-done migration in the file itself.
        Files.copy(dir.resolve("wallet.mv.db"), backup());
        execute("ALTER TABLE SF.ACCOUNTS ADD COLUMN \"half\" INT");
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(1);
        }
        assertThat(columns("SF", "ACCOUNTS")).contains("plan").doesNotContain("half");
        assertThat(backup()).as("the copy is used up").doesNotExist();
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build()) {
            store.credit(credit("op2", "a", 5));
        }
        try (H2UserStore store = H2UserStore.file(file())) {
            assertThat(store.admin().totalBalanceCents()).as("nothing restored over later work").isEqualTo(10);
        }
    }

    @Test
    void aFileStillOpenElsewhereIsNeitherCopiedNorMigrated() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "a", 5));
        }
        try (Connection held = connect()) {
            assertThatThrownBy(() -> H2UserStore.builder().file(file())
                    .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build())
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is still open elsewhere")
                    .hasMessageContaining("Nothing was migrated");
            assertThat(held.isClosed()).isFalse();
        }
        assertThat(columns("SF", "ACCOUNTS")).doesNotContain("plan");
        assertThat(backup()).doesNotExist();
        try (H2UserStore store = H2UserStore.builder().file(file())
                .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)")).build()) {
            assertThat(store.admin().userCount()).isEqualTo(1);
        }
    }

    private Path backup() {
        return dir.resolve("wallet.premigration.mv.db");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = connect()) {
            for (String statement : statements) {
                c.createStatement().execute(statement);
            }
        }
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

    @Test
    void fileOfStoreSchema1OpensMigratesAndKeepsWorking() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA SF");
            c.createStatement().execute("SET SCHEMA SF");
            for (String statement : StoreSchema1.STATEMENTS) {
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
        assertThat(strings("SELECT VERSION FROM SF.STORE_SCHEMA")).containsExactly("4");
        assertThat(strings("SELECT SUM(CREDITS) || '/' || SUM(DEBITS) FROM SF.DAILY_TOTALS WHERE UTC_DAY = DATE '2026-01-01'"))
                .as("totals of the day, from the schema-1 ledger and the calls since").containsExactly("750/300");
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
