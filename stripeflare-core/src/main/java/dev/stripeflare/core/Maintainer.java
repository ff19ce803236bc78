package dev.stripeflare.core;

import dev.stripeflare.MaintenanceReport;
import dev.stripeflare.spi.MaintenanceRequest;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the store's pruning (ADR 30): whole passes when the host asks ({@link #maintainAll}), and,
 * while no such pass ran for 10 minutes, one batch every N-th write in the writing thread
 * ({@link #afterWrite}); never on a thread of its own. Thread-safe; lazy batches never overlap (a write finding one running skips it).
 */
final class Maintainer {
    private static final System.Logger LOG = System.getLogger(Maintainer.class.getName());

    // A whole pass stops after this many batches even if more is due; the next pass goes on.
    private static final int MAX_BATCHES_PER_PASS = 10_000;
    /** A host pass this recent makes lazy batches unnecessary. */
    static final java.time.Duration HOST_PASS_FRESH = java.time.Duration.ofMinutes(10);

    private final UserStore store;
    private final Retention retention;
    private final Clock clock;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean lazyRunning = new AtomicBoolean();
    // When the host's last whole pass finished; lazy batches run only while it is overdue.
    private volatile Instant lastPass = Instant.MIN;

    Maintainer(UserStore store, Retention retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** Batches until nothing more is due (or a pass's bound); what they removed together. */
    MaintenanceReport maintainAll() {
        MaintenanceReport total = MaintenanceReport.empty();
        for (int i = 0; i < MAX_BATCHES_PER_PASS; i++) {
            MaintenanceReport batch = batch(retention.batchSize());
            total = total.plus(batch);
            if (!batch.more()) {
                break;
            }
        }
        lastPass = clock.instant();
        if (total.total() > 0) {
            LOG.log(Level.INFO, "maintenance removed {0} idempotency keys, {1} operation ids, {2} payments,"
                    + " {3} checkouts", total.idempotencyKeys(), total.operations(), total.payments(), total.checkouts());
        }
        return total;
    }

    /**
     * Counts a write; every N-th runs one batch here, unless the host ran a whole pass within the
     * last {@link #HOST_PASS_FRESH} (then its schedule does the work). Never throws: a failure is
     * logged.
     */
    void afterWrite() {
        int every = retention.writesPerLazyBatch();
        if (every == 0 || writes.incrementAndGet() % every != 0) {
            return;
        }
        if (clock.instant().isBefore(lastPass.plus(HOST_PASS_FRESH)) || !lazyRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            batch(retention.lazyBatchSize());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lazy maintenance batch failed; the next one retries: {0}", e.toString());
        } finally {
            lazyRunning.set(false);
        }
    }

    private MaintenanceReport batch(int size) {
        Instant now = clock.instant();
        MaintenanceReport report = store.maintain(new MaintenanceRequest(now.minus(retention.idempotencyKeys()),
                now.minus(retention.operations()), now.minus(retention.payments()), size));
        for (String id : report.expiredDeferredReversals()) {
            LOG.log(Level.WARNING, "deferred reversal {0} expired unapplied: its payment was never credited within {1}"
                    + " days; nothing was taken back", id, retention.operations().toDays());
        }
        return report;
    }
}
