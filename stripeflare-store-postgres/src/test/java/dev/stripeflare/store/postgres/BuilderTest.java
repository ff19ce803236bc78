package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The builder's own HikariCP pool: it works, it closes, and it never shows a password. */
class BuilderTest {

    private static final String SECRET = "s3cret-Pa55word";

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
    void builtStoreOwnsItsPoolAndClosesIt() {
        String schema = database.newSchema();
        PostgresUserStore store = PostgresUserStore.builder().jdbcUrl(database.jdbcUrl()).schema(schema)
                .maximumPoolSize(2).build();
        long userId = store.credit(credit("checkout:cs_1", "alice", 100)).userId();
        assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(100);
        assertThat(store.isHealthy()).isTrue();
        assertThat(store.toString()).contains(schema);
        store.close();
        assertThat(store.isHealthy()).isFalse();
        assertThatThrownBy(() -> store.findById(userId)).isInstanceOf(StoreException.class);
    }

    @Test
    void builderAndStoreNeverShowThePassword() {
        String schema = database.newSchema();
        // Trust auth ignores the password; it must still never be shown.
        PostgresUserStore.Builder builder = PostgresUserStore.builder()
                .jdbcUrl(database.jdbcUrl() + "&password=" + SECRET).username("postgres").password(SECRET)
                .schema(schema).maximumPoolSize(1);
        assertThat(builder.toString()).doesNotContain(SECRET).contains("***");
        try (PostgresUserStore store = builder.build()) {
            assertThat(store.toString()).doesNotContain(SECRET).contains("***");
        }
    }

    @Test
    void anAsynchronousChargeLeavesTheApplicationsConnectionsSynchronous() throws Exception {
        // One connection, so the charge and the check below share it.
        javax.sql.DataSource pool = database.pool(1);
        try (PostgresUserStore store = PostgresUserStore.builder().dataSource(pool).schema(database.newSchema())
                .build()) {
            store.credit(credit("checkout:cs_1", "alice", 100));
            assertThat(store.charge(dev.stripeflare.tck.StoreFixtures.debit("alice", 1)).charged()).isTrue();
            assertThat(store.charge(dev.stripeflare.tck.StoreFixtures.debit("alice", 1, "key-1")).charged()).isTrue();
            try (java.sql.Connection c = pool.getConnection();
                 java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
    }

    @Test
    void aFailedStepNamesNoRowValueInItsExceptionOrCause() {
        try (PostgresUserStore store = PostgresUserStore.builder().jdbcUrl(database.jdbcUrl())
                .schema(database.newSchema()).maximumPoolSize(1).build()) {
            store.credit(credit("checkout:cs_1", "alice", 100));
            store.credit(credit("checkout:cs_2", "bob", 100));
            String bobsHash = dev.stripeflare.spi.TokenHashes.of("bob");
            assertThatThrownBy(() -> store.rotateToken(dev.stripeflare.spi.TokenHashes.of("alice"), bobsHash))
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> {
                        StringWriter trace = new StringWriter();
                        e.printStackTrace(new PrintWriter(trace));
                        assertThat(trace.toString()).contains("in use").doesNotContain(bobsHash);
                    });
        }
    }

    @Test
    void exactlyOneOfUrlAndDataSourceIsRequired() {
        assertThatThrownBy(() -> PostgresUserStore.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PostgresUserStore.builder().jdbcUrl(database.jdbcUrl()).dataSource(database.pool(1))
                .build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unreachableDatabaseFailsTheBuildNamingTheUrlWithoutPassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/nowhere?user=app&password=" + SECRET + "&connectTimeout=2";
        assertThatThrownBy(() -> PostgresUserStore.builder().jdbcUrl(url).password(SECRET).build())
                .isInstanceOf(StoreException.class)
                .satisfies(e -> {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).contains("127.0.0.1:1/nowhere").doesNotContain(SECRET);
                });
    }
}
