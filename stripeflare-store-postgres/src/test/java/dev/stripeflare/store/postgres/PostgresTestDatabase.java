package dev.stripeflare.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests run against: {@code -Dstripeflare.pg.url}, else env
 * {@code STRIPEFLARE_PG_URL}, else {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 * Hands out fresh schemas ({@code sf_test_<random>}) and small pools, and drops and closes them
 * in {@link #close()}. When no server answers, {@link #require()} prints a SKIPPED line and
 * aborts the test class through a JUnit assumption — except under CI ({@code CI=true}) or with
 * {@code STRIPEFLARE_PG_REQUIRED=true} ({@code .ci/run}), where it fails: CI must have run the
 * PostgreSQL tests.
 */
final class PostgresTestDatabase implements AutoCloseable {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String url;
    private final List<String> schemas = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    private PostgresTestDatabase(String url) {
        this.url = url;
    }

    static String url() {
        String url = System.getProperty("stripeflare.pg.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("STRIPEFLARE_PG_URL");
        }
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** The server, or the test class is skipped (loudly), or under CI=true it fails. */
    static PostgresTestDatabase require() {
        String url = url();
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
            return new PostgresTestDatabase(url);
        } catch (SQLException e) {
            String message = "SKIPPED: PostgreSQL store tests — no server at " + Redaction.url(url) + " ("
                    + e.getMessage() + "). Start one (e.g. `pg_ctlcluster --skip-systemctl-redirect"
                    + " $(ls /etc/postgresql) main start`) or set STRIPEFLARE_PG_URL.";
            System.err.println(message);
            if (required()) {
                Assertions.fail("CI=true or STRIPEFLARE_PG_REQUIRED=true: the PostgreSQL tests must run, but "
                        + message);
            }
            Assumptions.abort(message);
            throw new AssertionError("unreachable");
        }
    }

    /** Under CI ({@code CI=true}) or with {@code STRIPEFLARE_PG_REQUIRED=true} (as {@code .ci/run} sets), a skip fails. */
    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getenv("STRIPEFLARE_PG_REQUIRED"));
    }

    String jdbcUrl() {
        return url;
    }

    /** A new, empty schema name, dropped in {@link #close()}; the store creates the schema. */
    synchronized String newSchema() {
        String schema = "sf_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        schemas.add(schema);
        return schema;
    }

    /** A pool of at most {@code size} connections, closed in {@link #close()}. */
    synchronized HikariDataSource pool(int size) {
        return pool(size, null);
    }

    /** As {@link #pool(int)}, at the given isolation level (e.g. {@code TRANSACTION_SERIALIZABLE}). */
    synchronized HikariDataSource pool(int size, String isolation) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        if (isolation != null) {
            config.setTransactionIsolation(isolation);
        }
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Runs {@code sql} on a connection of its own. */
    void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        schemas.clear();
    }
}
