package dev.stripeflare.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Baseline (b), the naive approach a user would otherwise write: one table
 * {@code users(token PRIMARY KEY, balance)} in an H2 in-memory database and, per charge, one
 * plain JDBC {@code UPDATE users SET balance = balance - ? WHERE token = ? AND balance >= ?}
 * with autocommit, on a prepared statement per thread. No ledger, no idempotency, tokens kept
 * in clear. Same users, same Zipf draw and same hot user as {@link ChargeBenchmark}.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class NaiveJdbcBenchmark {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static final String UPDATE = "UPDATE users SET balance = balance - ? WHERE token = ? AND balance >= ?";

    @Param({"100000"})
    public int users;

    String url;
    String[] tokens;
    private int[] draws;
    private Connection keepAlive;

    /** One thread's connection and prepared statement. */
    @State(Scope.Thread)
    public static class Client {
        Connection connection;
        PreparedStatement update;

        @Setup(Level.Trial)
        public void connect(NaiveJdbcBenchmark benchmark) throws SQLException {
            connection = DriverManager.getConnection(benchmark.url);
            connection.setAutoCommit(true);
            update = connection.prepareStatement(UPDATE);
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
        url = "jdbc:h2:mem:naive" + DATABASES.incrementAndGet();
        keepAlive = DriverManager.getConnection(url);
        try (Statement ddl = keepAlive.createStatement()) {
            ddl.execute("CREATE TABLE users (token VARCHAR(64) PRIMARY KEY, balance BIGINT NOT NULL)");
        }
        keepAlive.setAutoCommit(false);
        try (PreparedStatement insert = keepAlive.prepareStatement("INSERT INTO users VALUES (?, ?)")) {
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
        keepAlive.commit();
        keepAlive.setAutoCommit(true);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        keepAlive.close();
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
        return charge(client.update, token, amountCents);
    }

    /** Runs the naive {@link #UPDATE} on {@code update}; the seeded balances never decline one. */
    static int charge(PreparedStatement update, String token, long amountCents) throws SQLException {
        update.setLong(1, amountCents);
        update.setString(2, token);
        update.setLong(3, amountCents);
        int updated = update.executeUpdate();
        if (updated != 1) {
            throw new IllegalStateException("a naive charge was declined");
        }
        return updated;
    }
}
