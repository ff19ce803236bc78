package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import dev.stripeflare.spi.StoreHealth;
import java.util.Optional;
import java.util.OptionalLong;

/** What {@link H2UserStore#health()} answers, from the pool, the storage failures and the file. */
final class H2Health {

    private final HandlePool pool;
    private final StorageFailures failures;
    private final Optional<DatabaseFile> file;
    private final long lowDiskSpaceBytes;

    H2Health(HandlePool pool, StorageFailures failures, Optional<DatabaseFile> file, long lowDiskSpaceBytes) {
        this.pool = pool;
        this.failures = failures;
        this.file = file;
        this.lowDiskSpaceBytes = lowDiskSpaceBytes;
    }

    StoreHealth now() {
        OptionalLong size = file.map(DatabaseFile::size).orElse(OptionalLong.empty());
        OptionalLong free = file.map(DatabaseFile::freeSpace).orElse(OptionalLong.empty());
        String where = file.map(f -> "file " + f.path()).orElse("in memory");
        if (pool.isClosed()) {
            return new StoreHealth(StoreHealth.Status.DOWN, "the H2 store is closed (" + where + ")",
                    failures.lastFailure(), size, free);
        }
        try {
            failures.ensureUsable(); // a health poll may be the call that finds the disk writable again
        } catch (StoreException stillFailed) {
            // reported below
        }
        Optional<StorageFailures.Failure> failure = failures.current();
        if (failure.isPresent()) {
            return new StoreHealth(StoreHealth.Status.DOWN, "storage failed since " + failure.get().since() + ": "
                    + failure.get().detail() + "; every call fails until the disk takes writes again (" + where
                    + "; a reopen is tried at most every " + failures.retryInterval().toMillis() + " ms)",
                    failures.lastFailure(), size, free);
        }
        if (free.isPresent() && free.getAsLong() < lowDiskSpaceBytes) {
            return new StoreHealth(StoreHealth.Status.DEGRADED, "only " + free.getAsLong() + " bytes free on the disk of "
                    + where + " (warning below " + lowDiskSpaceBytes + "); when it is full, every call fails",
                    failures.lastFailure(), size, free);
        }
        return new StoreHealth(StoreHealth.Status.UP, where, failures.lastFailure(), size, free);
    }
}
