package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schema creation and migration on start, by one instance or several at the same moment. */
class MigrationTest {

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
    void eightInstancesStartingAtOnceOnAFreshSchemaMigrateItOnce() throws SQLException {
        String schema = database.newSchema();
        List<PostgresUserStore> stores = ConcurrentRun.race(8, Duration.ofSeconds(120),
                t -> PostgresUserStore.of(database.pool(1), schema));
        try {
            assertThat(stores).allSatisfy(s -> assertThat(s.schemaVersion()).isEqualTo(Migrations.latest()));
            assertThat(count("SELECT count(*) FROM " + schema + ".schema_version"))
                    .isEqualTo(Migrations.VERSIONS.size());
            long userId = stores.get(0).credit(credit("checkout:cs_1", "alice", 100)).userId();
            assertThat(stores.get(7).findById(userId)).isPresent();
        } finally {
            stores.forEach(PostgresUserStore::close);
        }
    }

    @Test
    void restartOnAnExistingSchemaKeepsDataAndAppliesNothingTwice() throws SQLException {
        String schema = database.newSchema();
        long userId;
        try (PostgresUserStore first = PostgresUserStore.of(database.pool(2), schema)) {
            userId = first.credit(credit("checkout:cs_1", "alice", 100)).userId();
        }
        try (PostgresUserStore second = PostgresUserStore.of(database.pool(2), schema)) {
            assertThat(second.findByTokenHash(TokenHashes.of("alice")).orElseThrow().userId()).isEqualTo(userId);
            assertThat(second.schemaVersion()).isEqualTo(Migrations.latest());
        }
        assertThat(count("SELECT count(*) FROM " + schema + ".schema_version")).isEqualTo(Migrations.VERSIONS.size());
    }

    @Test
    void aSchemaNewerThanTheLibraryIsRefused() throws SQLException {
        String schema = database.newSchema();
        PostgresUserStore.of(database.pool(1), schema).close();
        database.execute("INSERT INTO " + schema + ".schema_version (version, description) VALUES (999, 'future')");
        assertThatThrownBy(() -> PostgresUserStore.of(database.pool(1), schema))
                .isInstanceOf(StoreException.class).hasMessageContaining("newer");
    }

    @Test
    void ofDataSourceUsesTheConnectionsCurrentSchema() throws SQLException {
        String schema = database.newSchema();
        database.execute("CREATE SCHEMA " + schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setMaximumPoolSize(2);
        config.setConnectionInitSql("SET search_path TO " + schema);
        try (HikariDataSource pool = new HikariDataSource(config);
             PostgresUserStore store = PostgresUserStore.of(pool)) {
            assertThat(store.schema()).isEqualTo(schema);
            store.credit(credit("checkout:cs_1", "alice", 100));
        }
        assertThat(count("SELECT count(*) FROM " + schema + ".accounts")).isEqualTo(1);
    }

    @Test
    void aSchemaNameThatIsNotAPlainIdentifierIsRejectedBeforeConnecting() {
        assertThatThrownBy(() -> PostgresUserStore.builder().schema("x\"; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
