package dev.stripeflare.store.h2;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.StoreException;
import dev.stripeflare.StripeflareException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.h2.api.ErrorCode;

/** Translates H2 and Jdbi failures into stripeflare exceptions, and converts instants. */
final class Sql {

    /**
     * Thrown inside a transaction that found, under its locks, that a concurrent transaction
     * changed what it had read before taking them (e.g. the account it chose was deleted): the
     * pool rolls back and reruns the whole unit, which then reads the committed state.
     */
    static final class RaceLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaceLost() {
            super(null, null, false, false);
        }
    }

    private Sql() {
    }

    /** Our own exceptions pass through; an H2 numeric overflow is an amount problem; the rest is a store failure. */
    static RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof StripeflareException || e instanceof Credits.SchemaNeeded) {
            return e;
        }
        SQLException sql = sqlCause(e);
        if (sql != null && sql.getErrorCode() == ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_1) {
            return new InvalidAmountException("the balance would overflow a long number of cents");
        }
        return failure(what, e);
    }

    static StoreException failure(String what, Exception e) {
        SQLException sql = e instanceof SQLException s ? s : sqlCause(e);
        String detail = sql != null ? sql.getMessage()
                : e instanceof RaceLost ? "concurrent changes kept conflicting with it" : e.getMessage();
        return new StoreException("H2 store failed " + what + ": " + detail, e);
    }

    /**
     * Whether {@code e} comes from a conflict with a concurrent transaction that a rerun resolves:
     * a duplicate key (two transactions claiming the same operation id, idempotency key, payment
     * or identity row), a row lock that timed out, a deadlock, or a {@link RaceLost}.
     */
    static boolean isTransientConflict(RuntimeException e) {
        if (e instanceof RaceLost) {
            return true;
        }
        SQLException sql = sqlCause(e);
        if (sql == null) {
            return false;
        }
        int code = sql.getErrorCode();
        return code == ErrorCode.DUPLICATE_KEY_1
                || code == ErrorCode.LOCK_TIMEOUT_1
                || code == ErrorCode.DEADLOCK_1
                || code == ErrorCode.CONCURRENT_UPDATE_1;
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Instants are stored as UTC wall-clock {@code TIMESTAMP(9)}, which keeps nanoseconds and groups by UTC day. */
    static LocalDateTime toDb(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant fromDb(LocalDateTime at) {
        return at.toInstant(ZoneOffset.UTC);
    }
}
