package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A fixed set of Jdbi handles, each on its own connection, opened once and kept for the store's
 * life. Connections stay in manual-commit mode, so a unit of work costs no auto-commit toggling,
 * and H2's per-session parsed-statement cache stays warm (the reason for not opening a
 * connection per call). Thread-safe; a caller waits while every handle is busy.
 */
final class HandlePool implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 20;
    private static final long BORROW_TIMEOUT_SECONDS = 30;

    private final BlockingQueue<Handle> idle;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<Handle, StatementCache> statementCaches = new IdentityHashMap<>();
    private volatile boolean closed;

    HandlePool(DataSource dataSource, int size, String aggregateSchema) {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection connection = dataSource.getConnection();
                connections.add(connection);
                Jdbi jdbi = JdbiSetup.configure(Jdbi.create(() -> connection));
                try (var statement = connection.createStatement()) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + aggregateSchema);
                    statement.execute("SET SCHEMA " + aggregateSchema);
                }
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                Handle kept = jdbi.open();
                statementCaches.put(kept, new StatementCache(connection));
                idle.add(kept);
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw Sql.failure("opening the H2 store", e);
        }
    }

    /**
     * Runs {@code work} as one transaction and commits it; rolls back if it throws. A conflict
     * with a concurrent transaction (duplicate key of a row being inserted, lock timeout) reruns
     * the whole unit, which then sees the other transaction's result.
     */
    <T> T inTransaction(String what, Function<Handle, T> work) {
        return inTransaction(what, work, handle -> { });
    }

    /**
     * As {@link #inTransaction(String, Function)}, then runs {@code afterCommit} on the same
     * connection before releasing it. If {@code afterCommit} fails, the transaction stays
     * committed and a {@link StoreException} says so.
     */
    <T> T inTransaction(String what, Function<Handle, T> work, Consumer<Handle> afterCommit) {
        Handle handle = borrow();
        try {
            for (int attempt = 1; ; attempt++) {
                T result;
                try {
                    result = work.apply(handle);
                    handle.commit();
                } catch (RuntimeException e) {
                    rollbackQuietly(handle);
                    if (attempt < MAX_ATTEMPTS && Sql.isTransientConflict(e)) {
                        continue;
                    }
                    throw Sql.translate(what, e);
                }
                try {
                    afterCommit.accept(handle);
                } catch (RuntimeException e) {
                    rollbackQuietly(handle);
                    throw new StoreException("H2 store committed " + what
                            + " but could not force it to disk; retrying under the same id is safe", e);
                }
                return result;
            }
        } finally {
            idle.add(handle);
        }
    }

    /** A unit of work on one connection's kept prepared statements. */
    @FunctionalInterface
    interface StatementWork<T> {
        T apply(StatementCache statements) throws SQLException;
    }

    /**
     * As {@link #inTransaction(String, Function)}, for the hot paths: {@code work} runs on the
     * connection's kept prepared statements and commits through the connection itself, skipping
     * Jdbi's per-commit bookkeeping. Same rollback and rerun rules.
     */
    <T> T inStatements(String what, StatementWork<T> work) {
        Handle handle = borrow();
        try {
            StatementCache statements = statementCaches.get(handle);
            Connection connection = statements.connection();
            for (int attempt = 1; ; attempt++) {
                try {
                    T result = work.apply(statements);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    RuntimeException failure = e instanceof SQLException sql ? new StatementCache.Failure(sql)
                            : (RuntimeException) e;
                    rollbackQuietly(connection);
                    if (attempt < MAX_ATTEMPTS && Sql.isTransientConflict(failure)) {
                        continue;
                    }
                    throw Sql.translate(what, failure);
                }
            }
        } finally {
            idle.add(handle);
        }
    }

    /**
     * Forgets the column layouts kept per statement. Only while no other thread uses the pool:
     * the store calls it once, after the migrations at open.
     */
    void forgetLayouts() {
        statementCaches.values().forEach(StatementCache::forgetLayouts);
    }

    private Handle borrow() {
        if (closed) {
            throw new StoreException("the H2 store is closed");
        }
        try {
            Handle handle = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (handle == null) {
                throw new StoreException("no H2 connection free within " + BORROW_TIMEOUT_SECONDS + " s");
            }
            if (closed) {
                idle.add(handle);
                throw new StoreException("the H2 store is closed");
            }
            return handle;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for an H2 connection", e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            // As below: the original failure is what the caller needs.
        }
    }

    private static void rollbackQuietly(Handle handle) {
        try {
            handle.rollback();
        } catch (RuntimeException suppressed) {
            // The original failure is what the caller needs; a failed rollback leaves nothing
            // committed either.
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes every connection; waits for none. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Connection connection : connections) {
            try {
                if (!connection.isClosed()) {
                    connection.rollback();
                    connection.close();
                }
            } catch (SQLException ignored) {
                // Closing is best effort: the database closes with its last connection anyway.
            }
        }
    }
}
