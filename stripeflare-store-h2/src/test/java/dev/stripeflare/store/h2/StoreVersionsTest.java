package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ConfigurationException;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.TokenHashes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions of the data: a store schema newer than this release is refused before anything runs;
 * upgrades are recorded and finish after an interruption; an application {@code version} that
 * would start empty beside other versions' accounts needs {@code startEmptyBesideOlderData()}.
 */
class StoreVersionsTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("wallet");
    }

    @Test
    void aStoreSchemaNewerThanThisReleaseIsRefusedAndNothingRuns() throws SQLException {
        try (H2UserStore store = H2UserStore.file(file())) {
            store.credit(credit("op1", "tok", 500));
        }
        execute("UPDATE SF.STORE_SCHEMA SET VERSION = " + (BuiltInSchema.VERSION + 1),
                // a built-in statement would make it again; it must stay gone
                "DROP INDEX SF.ACCOUNTS_BY_CARD");
        assertThatThrownBy(() -> H2UserStore.file(file()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("store schema version " + (BuiltInSchema.VERSION + 1))
                .hasMessageContaining("newer than this release")
                .hasMessageContaining("Nothing was changed");
        assertThat(strings("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'SF'"
                + " AND INDEX_NAME = 'ACCOUNTS_BY_CARD'")).as("built-in statements run").isEmpty();
        assertThat(strings("SELECT VERSION FROM SF.STORE_SCHEMA")).containsExactly(
                String.valueOf(BuiltInSchema.VERSION + 1));
        // The refused open held nothing: the file is free for this release once it is back at its version.
        execute("UPDATE SF.STORE_SCHEMA SET VERSION = " + BuiltInSchema.VERSION);
        try (H2UserStore store = H2UserStore.file(file())) {
            assertThat(store.admin().userCount()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedUpgradeIsFinishedAndRecordedOnce() throws SQLException {
        // Schema 1 with two refunds; then an upgrade that died after the built-in statements and
        // half of UPGRADE_TO_2, before recording the version.
        execute("CREATE SCHEMA SF", "SET SCHEMA SF");
        try (Connection c = connect()) {
            c.createStatement().execute("SET SCHEMA SF");
            for (String statement : StoreSchema1.STATEMENTS) {
                c.createStatement().execute(statement);
            }
            c.createStatement().execute("INSERT INTO ACCOUNTS (USER_ID, BALANCE, CREATED_AT) VALUES"
                    + " (1, 300, TIMESTAMP '2026-01-01 00:00:00')");
            c.createStatement().execute("INSERT INTO LEDGER (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, AT)"
                    + " VALUES (1, 500, 500, 'PAYMENT', 'op1', TIMESTAMP '2026-01-01 00:00:00'),"
                    + " (1, -100, 400, 'REFUND', 're1', TIMESTAMP '2026-01-01 00:00:01'),"
                    + " (1, -100, 300, 'DISPUTE', 'dp1', TIMESTAMP '2026-01-01 00:00:02')");
            c.createStatement().execute("ALTER SEQUENCE USER_IDS RESTART WITH 2");
            for (String statement : BuiltInSchema.STATEMENTS) {
                c.createStatement().execute(statement);
            }
            c.createStatement().execute("INSERT INTO REVERSALS (OPERATION_ID, USER_ID, TAKEN) VALUES ('re1', 1, 100)");
        }
        for (int open = 0; open < 2; open++) {
            try (H2UserStore store = H2UserStore.file(file())) {
                assertThat(store.findById(1).orElseThrow().balanceCents()).isEqualTo(300);
            }
        }
        assertThat(strings("SELECT VERSION FROM SF.STORE_SCHEMA")).containsExactly(String.valueOf(BuiltInSchema.VERSION));
        assertThat(strings("SELECT OPERATION_ID || ':' || TAKEN FROM SF.REVERSALS ORDER BY 1"))
                .containsExactly("dp1:100", "re1:100");
    }

    @Test
    void aNewVersionBesideAnotherVersionsAccountsIsRefusedUnlessAskedFor() throws SQLException {
        try (H2UserStore v1 = H2UserStore.file(file())) {
            v1.credit(credit("op1", "a", 500));
            v1.credit(credit("op2", "b", 500));
        }
        assertThatThrownBy(() -> H2UserStore.builder().file(file()).version("v2").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("version \"v2\" has no data in this database yet")
                .hasMessageContaining("SF (no version): 2 account(s)")
                .hasMessageContaining("startEmptyBesideOlderData()");
        assertThat(strings("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME LIKE 'SF\\_V2%'"))
                .as("schemas the refused version made").isEmpty();

        try (H2UserStore v2 = H2UserStore.builder().file(file()).version("v2").startEmptyBesideOlderData().build()) {
            assertThat(v2.admin().userCount()).isZero();
            v2.credit(credit("op1", "c", 100));
        }
        // v2 has data of its own now: it opens without the opt-in, as does the default version.
        try (H2UserStore v2 = H2UserStore.builder().file(file()).version("v2").build()) {
            assertThat(v2.findByTokenHash(TokenHashes.of("c"))).isPresent();
        }
        try (H2UserStore v1 = H2UserStore.file(file())) {
            assertThat(v1.admin().userCount()).isEqualTo(2);
        }
        // Back to an empty version 3: both others are named, each with its count.
        assertThatThrownBy(() -> H2UserStore.builder().file(file()).version("v3").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SF (no version): 2 account(s)")
                .hasMessageContaining("SF_V2 (version \"V2\"): 1 account(s)");
    }

    @Test
    void aNewVersionInADatabaseWithoutOtherAccountsNeedsNoOptIn() {
        try (H2UserStore v1 = H2UserStore.file(file())) {
            assertThat(v1.admin().userCount()).isZero();
        }
        try (H2UserStore v2 = H2UserStore.builder().file(file()).version("v2").build()) {
            assertThat(v2.admin().userCount()).isZero();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath() + ";MAX_COMPACT_TIME=0", "sa", "");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = connect()) {
            for (String statement : statements) {
                c.createStatement().execute(statement);
            }
        }
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
