package dev.stripeflare.store.postgres;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.StoreException;
import dev.stripeflare.StripeflareException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs each store step as one database transaction, and reruns it — bounded — when PostgreSQL
 * aborted it for a conflict with a concurrent transaction that a rerun resolves: a deadlock, a
 * serialization failure (when the pool runs a stricter isolation level than READ COMMITTED),
 * or a {@link Conflict} the step itself raised (e.g. a token hash another instance attached in
 * the meantime). A step that wants to answer without changing anything rolls back its handle
 * and returns; otherwise the transaction commits when the step returns. Thread-safe.
 */
final class Transactions {

    /** How often a step runs at most before its conflict is reported as a {@link StoreException}. */
    static final int MAX_ATTEMPTS = 20;

    /** A step's signal: a concurrent transaction changed what this one decided on; run again. */
    static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    private final Jdbi jdbi;
    private final String name;
    private final AtomicInteger retries = new AtomicInteger();

    Transactions(Jdbi jdbi, String name) {
        this.jdbi = jdbi;
        this.name = name;
    }

    /** How many times steps were rerun after a conflict, since this store was built. */
    int retries() {
        return retries.get();
    }

    /**
     * Runs {@code step} in a transaction. {@code uniqueViolationIsConflict}: whether a unique
     * violation means a concurrent step won a race this one can rerun to see (true), or a
     * definite answer the caller translates itself (false: it is rethrown as it is).
     */
    <T> T inTransaction(String what, boolean uniqueViolationIsConflict, Function<Handle, T> step) {
        return run(what, uniqueViolationIsConflict, true, step);
    }

    /** One statement in autocommit mode (it is its own transaction), translated and rerun as above. */
    <T> T autocommit(String what, Function<Handle, T> statement) {
        return run(what, false, false, statement);
    }

    private <T> T run(String what, boolean uniqueViolationIsConflict, boolean transaction,
                      Function<Handle, T> step) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Handle handle = jdbi.open()) {
                if (transaction) {
                    handle.begin();
                }
                try {
                    T result = step.apply(handle);
                    if (handle.isInTransaction()) {
                        handle.commit();
                    }
                    return result;
                } catch (RuntimeException e) {
                    rollbackQuietly(handle, e);
                    throw e;
                }
            } catch (Conflict e) {
                last = e;
            } catch (StripeflareException e) {
                throw e;
            } catch (RuntimeException e) {
                String state = Sql.sqlState(e);
                if (Sql.NUMERIC_OUT_OF_RANGE.equals(state)) {
                    throw new InvalidAmountException("the balance would overflow a long number of cents");
                }
                boolean conflict = Sql.DEADLOCK.equals(state) || Sql.SERIALIZATION_FAILURE.equals(state)
                        || (uniqueViolationIsConflict && Sql.UNIQUE_VIOLATION.equals(state));
                if (!conflict) {
                    throw failure(what, e);
                }
                last = e;
            }
            retries.incrementAndGet();
            backOff(attempt);
        }
        throw new StoreException(name + " gave up " + what + " after " + MAX_ATTEMPTS
                + " conflicting attempts: " + Sql.detail(last), last);
    }

    StoreException failure(String what, Exception e) {
        return new StoreException(name + " failed " + what + ": " + Sql.detail(e), e);
    }

    private static void rollbackQuietly(Handle handle, RuntimeException cause) {
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void backOff(int attempt) {
        // Spread reruns of steps that keep colliding; the first rerun goes at once.
        if (attempt > 1) {
            try {
                Thread.sleep(Math.min(50, 1L << Math.min(attempt, 6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while retrying a conflicting store step");
            }
        }
    }
}
