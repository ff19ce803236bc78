package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Storage failures go to {@link StorageFailures}: the first one shuts the database down,
 * every later call fails fast until a recovery {@link #reopen reopens} the connections, and a
 * call whose work overlapped a failure is not acknowledged.
 */
final class HandlePool implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 20;
    private static final long BORROW_TIMEOUT_SECONDS = 30;
    private static final long DRAIN_TIMEOUT_SECONDS = 10;

    /** One pooled connection with its handle and kept statements, and the set it belongs to. */
    private static final class Slot {
        final Connection connection;
        final Handle handle;
        final StatementCache statements;
        final Handles owner;

        Slot(Connection connection, Handle handle, Handles owner) {
            this.connection = connection;
            this.handle = handle;
            this.statements = new StatementCache(connection);
            this.owner = owner;
        }
    }

    /** The connections of one opening of the database; retired when a recovery replaces them. */
    private static final class Handles {
        final BlockingQueue<Slot> idle;
        final List<Slot> all = new ArrayList<>();
        final List<Connection> connections = new ArrayList<>();
        volatile boolean retired;

        Handles(int size) {
            idle = new ArrayBlockingQueue<>(size);
        }

        static Handles open(DataSource dataSource, int size, String aggregateSchema) {
            Handles handles = new Handles(size);
            try {
                for (int i = 0; i < size; i++) {
                    Connection connection = dataSource.getConnection();
                    handles.connections.add(connection);
                    Jdbi jdbi = JdbiSetup.configure(Jdbi.create(() -> connection));
                    try (var statement = connection.createStatement()) {
                        statement.execute("CREATE SCHEMA IF NOT EXISTS " + aggregateSchema);
                        statement.execute("SET SCHEMA " + aggregateSchema);
                    }
                    connection.setAutoCommit(false);
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    Slot slot = new Slot(connection, jdbi.open(), handles);
                    handles.all.add(slot);
                    handles.idle.add(slot);
                }
                return handles;
            } catch (SQLException | RuntimeException e) {
                handles.closeAll();
                throw Sql.failure("opening the H2 store", e);
            }
        }

        void closeAll() {
            for (Connection connection : connections) {
                try {
                    if (!connection.isClosed()) {
                        connection.rollback();
                        connection.close();
                    }
                } catch (SQLException | RuntimeException | AssertionError ignored) {
                    // Closing is best effort: the database closes with its last connection anyway
                    // (and after a failed write H2 may even assert while rolling back).
                }
            }
        }
    }

    private final int size;
    private final String aggregateSchema;
    private final StorageFailures failures;
    private volatile Handles handles;
    private volatile boolean closed;

    HandlePool(DataSource dataSource, int size, String aggregateSchema, StorageFailures failures) {
        this.size = size;
        this.aggregateSchema = aggregateSchema;
        this.failures = failures;
        this.handles = Handles.open(dataSource, size, aggregateSchema);
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
        Slot slot = borrow();
        long generation = failures.generation();
        T result;
        try {
            Handle handle = slot.handle;
            for (int attempt = 1; ; attempt++) {
                try {
                    result = work.apply(handle);
                    handle.commit();
                } catch (RuntimeException | AssertionError thrown) {
                    RuntimeException e = StorageFailures.unchecked(thrown);
                    rollbackHandleQuietly(slot);
                    if (attempt < MAX_ATTEMPTS && Sql.isTransientConflict(e) && failures.current().isEmpty()) {
                        continue;
                    }
                    throw translate(what, e);
                }
                try {
                    afterCommit.accept(handle);
                } catch (RuntimeException | AssertionError thrown) {
                    RuntimeException e = StorageFailures.unchecked(thrown);
                    rollbackHandleQuietly(slot);
                    if (StorageFailures.isStorageFailure(e)) {
                        storageFailed("forcing " + what + " to disk", e);
                    }
                    throw new StoreException("H2 store committed " + what
                            + " but could not force it to disk (" + (StorageFailures.isStorageFailure(e)
                            ? "storage failed: " : "") + e.getMessage()
                            + "); it is not acknowledged, and retrying under the same id is safe", e);
                }
                break;
            }
        } finally {
            slot.owner.idle.add(slot);
        }
        failures.confirm(generation, what);
        return result;
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
        Slot slot = borrow();
        long generation = failures.generation();
        T result;
        try {
            Connection connection = slot.connection;
            for (int attempt = 1; ; attempt++) {
                try {
                    result = work.apply(slot.statements);
                    connection.commit();
                    break;
                } catch (SQLException | RuntimeException | AssertionError e) {
                    RuntimeException failure = e instanceof SQLException sql ? new StatementCache.Failure(sql)
                            : StorageFailures.unchecked(e);
                    rollbackQuietly(slot);
                    if (attempt < MAX_ATTEMPTS && Sql.isTransientConflict(failure) && failures.current().isEmpty()) {
                        continue;
                    }
                    throw translate(what, failure);
                }
            }
        } finally {
            slot.owner.idle.add(slot);
        }
        failures.confirm(generation, what);
        return result;
    }

    /**
     * Runs {@code work} on a connection of the pool in its own transaction, committed after it,
     * outside the storage supervision: a failure here (e.g. a backup's own target disk is full)
     * says nothing about the database's disk, so it is reported as a plain {@link StoreException}.
     */
    <T> T unsupervised(String what, Function<Handle, T> work) {
        Slot slot = borrow();
        try {
            T result = work.apply(slot.handle);
            slot.handle.commit();
            return result;
        } catch (RuntimeException e) {
            try {
                slot.handle.rollback();
            } catch (RuntimeException ignored) {
                // the failure itself is what the caller needs
            }
            throw Sql.translate(what, e);
        } finally {
            slot.owner.idle.add(slot);
        }
    }

    /**
     * Forgets the column layouts kept per statement. Only while no other thread uses the pool:
     * the store calls it once, after the migrations at open.
     */
    void forgetLayouts() {
        handles.all.forEach(slot -> slot.statements.forgetLayouts());
    }

    /**
     * Replaces every connection: waits for all of them to come back (callers fail fast while
     * the storage is failed, so they do soon), closes them, opens new ones from {@code source}
     * and runs {@code verify} on one of them before any caller may borrow. If anything fails,
     * the new connections are closed and the old ones stay retired.
     *
     * @throws StoreException if the connections did not come back, or the database did not open
     *                        or verify
     */
    synchronized void reopen(DataSource source, Consumer<Handle> verify) {
        Handles old = handles;
        old.retired = true;
        List<Slot> drained = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                Slot slot = old.idle.poll(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (slot == null) {
                    throw new StoreException("H2 store: connections still busy after " + DRAIN_TIMEOUT_SECONDS + " s");
                }
                drained.add(slot);
            }
            // Every connection is idle now: stop the old database as a crash would, so that
            // the file stays as its last successful write left it (a normal close would try to
            // write what H2 still holds in memory).
            shutDownImmediately(drained.get(0).connection);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reopening the H2 store", e);
        } finally {
            old.idle.addAll(drained);
        }
        old.closeAll();
        if (closed) {
            throw new StoreException("the H2 store is closed");
        }
        Handles fresh = Handles.open(source, size, aggregateSchema);
        try {
            Slot probe = fresh.idle.remove();
            try {
                verify.accept(probe.handle);
            } finally {
                fresh.idle.add(probe);
            }
        } catch (RuntimeException e) {
            fresh.closeAll();
            throw e;
        }
        handles = fresh;
        if (closed) {
            fresh.closeAll();
        }
    }

    private Slot borrow() {
        for (;;) {
            if (closed) {
                throw new StoreException("the H2 store is closed");
            }
            failures.ensureUsable();
            Handles set = handles;
            Slot slot;
            try {
                slot = set.idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for an H2 connection", e);
            }
            if (slot == null) {
                throw new StoreException("no H2 connection free within " + BORROW_TIMEOUT_SECONDS + " s");
            }
            if (closed) {
                set.idle.add(slot);
                throw new StoreException("the H2 store is closed");
            }
            if (!set.retired) {
                return slot;
            }
            // A recovery replaced these connections meanwhile: give it back, take a new one.
            set.idle.add(slot);
        }
    }

    private RuntimeException translate(String what, RuntimeException e) {
        if (StorageFailures.isStorageFailure(e)) {
            storageFailed(what, e);
            return StorageFailures.failure(what, e);
        }
        return Sql.translate(what, e);
    }

    /**
     * Records the failure. The database is not shut down here: other connections may be in the
     * middle of a statement, and H2's {@code SHUTDOWN IMMEDIATELY} leaves such sessions waiting
     * for ever (they wait for the exclusive session that shut it down). {@link #reopen} shuts
     * it down once every connection is back.
     */
    private void storageFailed(String what, Throwable e) {
        failures.record(what, e);
    }

    private static void shutDownImmediately(Connection connection) {
        try (var statement = connection.createStatement()) {
            statement.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException | RuntimeException | AssertionError alreadyClosed) {
            // H2 may have closed it itself (it does after some failed writes)
        }
    }

    private void rollbackQuietly(Slot slot) {
        try {
            slot.connection.rollback();
        } catch (SQLException | RuntimeException | AssertionError e) {
            // A rollback is where H2 may report a failed background write (once, before rolling
            // back): record it, or no call would learn of it, and roll back again to release the
            // transaction's locks. Otherwise the original failure is what the caller needs.
            if (StorageFailures.isStorageFailure(e)) {
                storageFailed("rolling back", e);
                try {
                    slot.connection.rollback();
                } catch (SQLException | RuntimeException | AssertionError ignored) {
                    // closed: nothing is held
                }
            }
        }
    }

    private void rollbackHandleQuietly(Slot slot) {
        try {
            slot.handle.rollback();
        } catch (RuntimeException | AssertionError e) {
            // As above.
            if (StorageFailures.isStorageFailure(e)) {
                storageFailed("rolling back", e);
                try {
                    slot.handle.rollback();
                } catch (RuntimeException | AssertionError ignored) {
                    // closed: nothing is held
                }
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes every connection; waits for none. Idempotent. */
    @Override
    public void close() {
        closed = true;
        handles.closeAll();
    }
}
