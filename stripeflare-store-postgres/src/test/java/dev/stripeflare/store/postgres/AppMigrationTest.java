package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.StoreException;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Application migrations (custom columns, per-user tables), fresh-start versions and admin queries. */
class AppMigrationTest {

    private static final AppMigration PLAN = AppMigration.userColumn("1-plan", "plan", "text DEFAULT 'free'");
    private static final AppMigration NOTES = AppMigration.userTable("2-notes", "notes", "note_id bigint, body text");

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

    private static PostgresUserStore store(DataSource pool, String schema, AppMigration... migrations) {
        PostgresUserStore.Builder builder = PostgresUserStore.builder().dataSource(pool).schema(schema);
        for (AppMigration m : migrations) {
            builder.migration(m);
        }
        return builder.build();
    }

    @Test
    void aCustomColumnIsACustomFieldAndAPerUserTableIsOneTableDeletedWithTheAccount() throws SQLException {
        String schema = database.newSchema();
        try (PostgresUserStore store = store(database.pool(2), schema, PLAN, NOTES)) {
            long userId = store.credit(credit("checkout:cs_1", "alice", 100)).userId();
            assertThat(store.findById(userId).orElseThrow().customFields()).containsEntry("plan", "free");
            database.execute("UPDATE " + schema + ".accounts SET plan = NULL WHERE user_id = " + userId);
            assertThat(store.findByTokenHash(TokenHashes.of("alice")).orElseThrow().customFields()).isEmpty();
            database.execute("INSERT INTO " + schema + ".user_notes (user_id, note_id, body) VALUES (" + userId
                    + ", 1, 'hello')");
            assertThat(store.deleteUser(userId)).isTrue();
            assertThat(count("SELECT count(*) FROM " + schema + ".user_notes")).isZero();
        }
    }

    @Test
    void migrationsRunOnceEvenWhenFourInstancesStartAtOnce() throws SQLException {
        String schema = database.newSchema();
        List<PostgresUserStore> stores = ConcurrentRun.race(4, Duration.ofSeconds(120),
                t -> store(database.pool(1), schema, PLAN, NOTES));
        stores.forEach(PostgresUserStore::close);
        assertThat(count("SELECT count(*) FROM " + schema + ".app_migrations")).isEqualTo(2);
        try (PostgresUserStore again = store(database.pool(1), schema, PLAN, NOTES)) {
            assertThat(again.schemaVersion()).isEqualTo(Migrations.latest());
        }
    }

    @Test
    void aFailingMigrationChangesNothingAndNamesItself() throws SQLException {
        String schema = database.newSchema();
        AppMigration broken = AppMigration.userColumn("3-broken", "score", "no_such_type");
        assertThatThrownBy(() -> store(database.pool(1), schema, PLAN, broken))
                .isInstanceOf(StoreException.class).hasMessageContaining("3-broken");
        assertThat(count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'"))
                .as("the schema, created in the failed transaction").isZero();
    }

    @Test
    void aNewVersionStartsFromEmptyDataAndLeavesTheOldSchemaAlone() {
        String schema = database.newSchema();
        DataSource pool = database.pool(2);
        try (PostgresUserStore v1 = PostgresUserStore.builder().dataSource(pool).schema(schema).build()) {
            v1.credit(credit("checkout:cs_1", "alice", 100));
        }
        try (PostgresUserStore v2 = PostgresUserStore.builder().dataSource(pool).schema(schema).version("v2").build()) {
            assertThat(v2.schema()).isEqualTo(schema + "_v2");
            assertThat(v2.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        } finally {
            try {
                database.execute("DROP SCHEMA IF EXISTS " + schema + "_v2 CASCADE");
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }
        try (PostgresUserStore v1 = PostgresUserStore.builder().dataSource(pool).schema(schema).build()) {
            assertThat(v1.findByTokenHash(TokenHashes.of("alice"))).isPresent();
        }
        assertThatThrownBy(() -> PostgresUserStore.builder().version("V2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppMigration.userColumn("x", "plan", "text; DROP TABLE accounts"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adminQueriesReadEveryAccount() {
        try (PostgresUserStore store = store(database.pool(2), database.newSchema())) {
            long alice = store.credit(credit("checkout:cs_1", "alice", 500)).userId();
            long bob = store.credit(credit("checkout:cs_2", "bob", 300)).userId();
            store.charge(debit("alice", 200));
            PostgresAdmin admin = store.admin();
            assertThat(admin.userCount()).isEqualTo(2);
            assertThat(admin.totalBalanceCents()).isEqualTo(600);
            assertThat(admin.usersByBalance(10)).extracting(AccountBalance::userId).containsExactly(alice, bob);
            assertThat(admin.ledger(alice)).hasSize(2);
            LocalDate day = LocalDate.ofInstant(T0, java.time.ZoneOffset.UTC);
            assertThat(admin.totalsPerDay(day, day)).containsExactly(new DailyTotal(day, 800, 200, 3));
            assertThat(admin.totalsPerDay(day.plusDays(1), day.plusDays(2))).isEmpty();
            assertThatThrownBy(() -> admin.usersByBalance(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
