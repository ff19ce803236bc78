package dev.stripeflare.store.h2;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;

/**
 * Group commit for credits in file mode. H2's MVStore writes committed transactions to the file
 * (at commit with {@code WRITE_DELAY=0}, else from a background thread) but never forces them to
 * the disk; only {@code CHECKPOINT SYNC} does ({@code FileChannel.force}). A credit therefore
 * takes a ticket after its commit and returns once a sync that started after the ticket has
 * finished. One sync covers every transaction committed before it started, so concurrent credits
 * share one fsync. Thread-safe.
 */
final class DurableSync {

    private final boolean enabled;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong tickets = new AtomicLong();
    private long synced;

    DurableSync(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether the database is a file (credits are forced to it). */
    boolean enabled() {
        return enabled;
    }

    /** Call after committing; returns when that commit is on disk. */
    void awaitDurable(Handle handle) {
        if (!enabled) {
            return;
        }
        long ticket = tickets.incrementAndGet();
        lock.lock();
        try {
            if (synced >= ticket) {
                return;
            }
            long upTo = tickets.get();
            handle.execute("CHECKPOINT SYNC");
            handle.commit();
            synced = upTo;
        } finally {
            lock.unlock();
        }
    }
}
