package dev.stripeflare.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Baseline (c), the naive approach on the same PostgreSQL server as the {@code postgres} store
 * ({@link Stores#postgresUrl()}): one table {@code users(token PRIMARY KEY, balance)} in a schema
 * of its own (dropped after the trial) and, per charge, one plain JDBC
 * {@code UPDATE users SET balance = balance - ? WHERE token = ? AND balance >= ?} with
 * autocommit and the server's default {@code synchronous_commit} (so each charge waits for its
 * WAL flush), on a connection and prepared statement per thread. No ledger, no idempotency,
 * tokens kept in clear. Same users, same Zipf draw and same hot user as {@link ChargeBenchmark}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class NaivePostgresBenchmark {

    @Param({"100000"})
    public int users;

    String schema;
    String[] tokens;
    private int[] draws;

    /** One thread's connection and prepared statement. */
    @State(Scope.Thread)
    public static class Client {
        Connection connection;
        PreparedStatement update;

        @Setup(Level.Trial)
        public void connect(NaivePostgresBenchmark benchmark) throws SQLException {
            connection = DriverManager.getConnection(Stores.postgresUrl());
            connection.setAutoCommit(true);
            try (Statement path = connection.createStatement()) {
                path.execute("SET search_path TO " + benchmark.schema);
            }
            update = connection.prepareStatement(NaiveJdbcBenchmark.UPDATE);
        }

        @TearDown(Level.Trial)
        public void disconnect() throws SQLException {
            connection.close();
        }
    }

    @Setup(Level.Trial)
    public void open() throws SQLException {
        tokens = WalletFixture.mintTokens(users);
        draws = Zipf.sequence(users, 42);
        schema = "sf_bench_naive_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(Stores.postgresUrl());
             Statement ddl = connection.createStatement()) {
            ddl.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            ddl.execute("CREATE SCHEMA " + schema);
            ddl.execute("CREATE TABLE " + schema + ".users (token TEXT PRIMARY KEY, balance BIGINT NOT NULL)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + schema + ".users VALUES (?, ?)")) {
                for (int i = 0; i < tokens.length; i++) {
                    insert.setString(1, tokens[i]);
                    insert.setLong(2, WalletFixture.SEED_BALANCE_CENTS);
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
            ddl.execute("ANALYZE " + schema + ".users");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        Stores.postgresExecute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Benchmark
    public int zipf(ChargeBenchmark.Cursor cursor, Client client) throws SQLException {
        return charge(client, tokens[draws[cursor.next++ & Zipf.MASK]], 1);
    }

    @Benchmark
    public int sameUser(Client client) throws SQLException {
        return charge(client, tokens[0], 1);
    }

    private static int charge(Client client, String token, long amountCents) throws SQLException {
        return NaiveJdbcBenchmark.charge(client.update, token, amountCents);
    }
}
