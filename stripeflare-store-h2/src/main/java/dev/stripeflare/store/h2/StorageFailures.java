package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.api.ErrorCode;
import org.h2.mvstore.MVStoreException;

/**
 * Whether the database file can still be written, for a file store. H2 stops writing after a
 * failed write (a full disk, an I/O error): it reports the failure to one commit, keeps
 * accepting commits in memory that never reach the file, and later closes the database for
 * good. So after the first storage failure this store fails every call fast instead, logs one
 * ERROR, and on a later call, at most once per retry interval, tries a {@link Recovery}: check
 * that the disk takes writes again, shut the old database down as a crash would (what is on
 * disk stays as the last successful write left it), reopen, probe. Until one succeeds, every
 * call throws a {@link StoreException} saying "storage failed".
 *
 * <p>A call that was already running when a failure was recorded is not acknowledged either:
 * {@link #confirm} turns its result into the same exception (it may or may not be on disk).
 * Thread-safe.
 */
final class StorageFailures {

    /** Reopens the database and proves that it takes a durable write; throws if it cannot. */
    @FunctionalInterface
    interface Recovery {
        void reopen() throws Exception;
    }

    /** The outstanding failure: what it said and when it was first seen. */
    record Failure(String detail, Instant since) {
    }

    private static final System.Logger LOG = System.getLogger(H2UserStore.class.getName());

    private static final Set<Integer> STORAGE_CODES = Set.of(ErrorCode.DATABASE_IS_CLOSED, ErrorCode.IO_EXCEPTION_1,
            ErrorCode.IO_EXCEPTION_2, ErrorCode.FILE_CORRUPTED_1, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
            ErrorCode.OBJECT_CLOSED, ErrorCode.CONNECTION_BROKEN_1, ErrorCode.FILE_CREATION_FAILED_1);

    private final Clock clock;
    private final Duration retryInterval;
    private final AtomicLong generation = new AtomicLong();
    private final ReentrantLock recovering = new ReentrantLock();
    private volatile Recovery recovery;
    private volatile Failure current;
    private volatile Instant lastFailure;
    private volatile long nextAttemptNanos;

    StorageFailures(Clock clock, Duration retryInterval) {
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    /**
     * Whether {@code e} says the database's storage failed (an I/O error, a failed MVStore
     * write, a database H2 closed under us), as opposed to a conflict, a bad value or a bug.
     */
    static boolean isStorageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MVStoreException || t instanceof IOException || isH2StoreAssertion(t)) {
                return true;
            }
            if (t instanceof SQLException sql && STORAGE_CODES.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code e} itself, or an {@link AssertionError} wrapped: with assertions enabled, H2's
     * MVStore asserts on its version counts when a session rolls back after a failed write (seen
     * in the 8-thread disk-full test); that is a storage failure to report, not an error to let
     * through the store.
     */
    static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (isH2StoreAssertion(e)) {
            return new IllegalStateException("H2 MVStore assertion: " + e.getMessage(), e);
        }
        throw (Error) e;
    }

    private static boolean isH2StoreAssertion(Throwable t) {
        if (!(t instanceof AssertionError)) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("org.h2.mvstore.");
    }

    /** Starts watching: from now on storage failures close the store until {@code recovery} succeeds. */
    void supervise(Recovery recovery) {
        this.recovery = recovery;
    }

    /** A number that changes whenever a storage failure is recorded; read before a call's work. */
    long generation() {
        return generation.get();
    }

    /**
     * Returns if the storage is usable; else, when a reopen is due, tries one (one thread at a
     * time, at most once per retry interval), and throws if the storage is still failed.
     */
    void ensureUsable() {
        if (current == null) {
            return;
        }
        if (System.nanoTime() - nextAttemptNanos >= 0 && recovering.tryLock()) {
            try {
                if (current != null && System.nanoTime() - nextAttemptNanos >= 0) {
                    attemptRecovery();
                }
            } finally {
                recovering.unlock();
            }
        }
        Failure failure = current;
        if (failure != null) {
            throw new StoreException("H2 store unavailable: storage failed: " + failure.detail() + " (since "
                    + failure.since() + "); it reopens the database once the disk takes writes again");
        }
    }

    private void attemptRecovery() {
        nextAttemptNanos = System.nanoTime() + retryInterval.toNanos();
        Failure failure = current;
        try {
            recovery.reopen();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "H2 store: storage still failing: " + detail(e));
            return;
        }
        current = null;
        LOG.log(System.Logger.Level.INFO, "H2 store: storage works again; database reopened "
                + Duration.between(failure.since(), clock.instant()).toMillis() + " ms after it failed");
    }

    /**
     * Throws if a storage failure was recorded since {@code generationBefore} was read: the
     * call's commit happened while or after the store learnt of it, so it is not acknowledged.
     */
    void confirm(long generationBefore, String what) {
        if (generation.get() != generationBefore) {
            Failure failure = current;
            throw new StoreException("H2 store failed " + what + ": storage failed while it ran ("
                    + (failure != null ? failure.detail() : "since recovered")
                    + "); it may or may not be on disk, so it is not acknowledged;"
                    + " retrying under the same operation id or idempotency key is safe");
        }
    }

    /**
     * Records a storage failure seen while doing {@code what}. Returns true when it is the
     * first one since the storage last worked; logs ERROR only then. Does nothing and returns
     * false while not supervising (in memory).
     */
    boolean record(String what, Throwable cause) {
        if (recovery == null) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (this) {
            generation.incrementAndGet();
            lastFailure = now;
            if (current != null) {
                return false;
            }
            current = new Failure(detail(cause), now);
            nextAttemptNanos = System.nanoTime() + retryInterval.toNanos();
        }
        LOG.log(System.Logger.Level.ERROR, "H2 store: storage failed while " + what + ": " + detail(cause)
                + ". Every call fails until the disk takes writes again; the store then reopens the database"
                + " (it tries at most every " + retryInterval.toMillis() + " ms, on a call)", cause);
        return true;
    }

    /** The exception a call that hit a storage failure throws. */
    static StoreException failure(String what, Throwable cause) {
        return new StoreException("H2 store failed " + what + ": storage failed: " + detail(cause), cause);
    }

    /** The outstanding failure, if the storage is failed now. */
    Optional<Failure> current() {
        return Optional.ofNullable(current);
    }

    /** When a storage failure was last recorded, if ever. */
    Optional<Instant> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    Duration retryInterval() {
        return retryInterval;
    }

    private static String detail(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof MVStoreException) {
                deepest = t;
            }
        }
        String message = deepest.getMessage() != null ? deepest.getMessage() : deepest.getClass().getSimpleName();
        if (deepest instanceof IOException && !(deepest == e)) {
            message = deepest.getClass().getSimpleName() + ": " + message;
        }
        return message.lines().findFirst().orElse(message);
    }
}
