package dev.stripeflare.bench;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.h2.H2UserStore;
import dev.stripeflare.store.memory.InMemoryUserStore;
import dev.stripeflare.store.postgres.PostgresUserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a benchmark's {@code store} parameter to a fresh store.
 *
 * <ul>
 *   <li>{@code memory}: {@link InMemoryUserStore};</li>
 *   <li>{@code h2-mem}: {@code H2UserStore.inMemory(name)};</li>
 *   <li>{@code h2-file}: {@code H2UserStore.file(directory/wallet)};</li>
 *   <li>{@code postgres}: {@code PostgresUserStore.builder()} on {@link #postgresUrl()}, in a
 *       schema of its own (see {@link WalletFixture}).</li>
 * </ul>
 */
final class Stores {
    static final String MEMORY = "memory";
    static final String H2_MEM = "h2-mem";
    static final String H2_FILE = "h2-file";
    static final String POSTGRES = "postgres";

    /** The PostgreSQL server unless {@code -Dstripeflare.pg.url} or env {@code STRIPEFLARE_PG_URL} names another. */
    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** The stores this build can open, in table order. */
    static final List<String> AVAILABLE = List.of(MEMORY, H2_MEM, H2_FILE, POSTGRES);

    private Stores() {
    }

    /** Prints the stores this build can open, comma-separated, for {@code run.sh}'s {@code -p store=}. */
    public static void main(String[] args) {
        List<String> stores = new ArrayList<>(AVAILABLE);
        if (!postgresAnswers()) {
            System.err.println("stripeflare-bench: no PostgreSQL server at " + postgresUrl()
                    + "; the postgres store is left out (set STRIPEFLARE_PG_URL to measure it).");
            stores.remove(POSTGRES);
        }
        System.out.println(String.join(",", stores));
    }

    /** {@code -Dstripeflare.pg.url}, else env {@code STRIPEFLARE_PG_URL}, else {@link #DEFAULT_PG_URL}. */
    static String postgresUrl() {
        String url = System.getProperty("stripeflare.pg.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("STRIPEFLARE_PG_URL");
        }
        return url == null || url.isBlank() ? DEFAULT_PG_URL : url;
    }

    private static boolean postgresAnswers() {
        try (Connection connection = DriverManager.getConnection(postgresUrl())) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A PostgreSQL store in {@code schema} (created when missing), with a pool of 16 connections. */
    static PostgresUserStore postgres(String schema) {
        return PostgresUserStore.builder().jdbcUrl(postgresUrl()).schema(schema).maximumPoolSize(16).build();
    }

    /** Runs {@code sql} on the PostgreSQL server, on a connection of its own. */
    static void postgresExecute(String sql) {
        try (Connection connection = DriverManager.getConnection(postgresUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + postgresUrl() + ": " + sql, e);
        }
    }

    /** Whether {@code schema} holds the table {@code table}. */
    static boolean postgresHasTable(String schema, String table) {
        try (Connection connection = DriverManager.getConnection(postgresUrl());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + postgresUrl(), e);
        }
    }

    /**
     * A new, empty store (or, for {@code h2-file}, the store in {@code directory}, which may hold
     * a seeded copy).
     *
     * @param name      a name unique in this JVM, for in-memory databases; for {@code postgres}
     *                  the schema (a plain lower-case identifier)
     * @param directory a private directory, for file stores
     */
    static UserStore open(String store, String name, Path directory) {
        switch (store) {
            case MEMORY:
                return new InMemoryUserStore();
            case H2_MEM:
                return H2UserStore.inMemory(name);
            case H2_FILE:
                return H2UserStore.file(fileBase(directory));
            case POSTGRES:
                return postgres(name);
            default:
                throw new IllegalArgumentException("unknown store " + store
                        + "; expected one of memory, h2-mem, h2-file, postgres");
        }
    }

    /** Whether the store keeps its data in {@code directory}, so a seeded copy can be reused. */
    static boolean isFile(String store) {
        return H2_FILE.equals(store);
    }

    /** The files a file store keeps in {@code directory}. */
    static Path fileBase(Path directory) {
        return directory.resolve("wallet");
    }
}
