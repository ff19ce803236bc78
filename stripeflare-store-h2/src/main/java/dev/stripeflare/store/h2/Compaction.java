package dev.stripeflare.store.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Online compaction of an embedded H2 file (ADR 30): rewrites the live pages of sparse chunks
 * into new chunks, a step at a time, within a time budget, so that the space of the old chunks
 * is reused once H2's chunk retention time has passed. It never moves chunks within the file
 * (that is what H2 does on close with {@code MAX_COMPACT_TIME}, turned off for crash safety, ADR
 * 24), so the file stops growing rather than shrinks; {@code SHUTDOWN COMPACT} shrinks it offline.
 */
final class Compaction {

    /**
     * H2's {@code RETENTION_TIME} for the file store, in ms: how long a chunk no longer used is
     * kept before its space is reused. H2's default (45 s) keeps 45 s of every write: at 1 000
     * charges/s that alone was hundreds of MB. 0 has corrupted files (reused while still listed,
     * h2database#2752), and with 1 s the SIGKILL crash test found a file that no longer opened;
     * 10 s passed it (ADR 30).
     */
    static final int RETENTION_TIME_MS = 10_000;

    /** Chunks less full than this are rewritten. */
    private static final int TARGET_FILL_RATE = 80;
    /** Live bytes rewritten per step; a step takes a few ms. */
    private static final int STEP_BYTES = 1 << 20;

    private Compaction() {
    }

    /** The MVStore behind an embedded H2 connection; empty for a server or in-memory database. */
    static Optional<MVStore> storeOf(Connection connection) {
        try {
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return Optional.empty();
            }
            MVStore store = session.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null || store.getFileStore().getFileName() == null
                    || store.getFileStore().getFileName().isEmpty() ? Optional.empty() : Optional.of(store);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Rewrites sparse chunks step by step until none is left or {@code budget} is spent. */
    static H2Compaction run(MVStore store, Duration budget) {
        long start = System.nanoTime();
        long before = store.getFileStore().size();
        int steps = 0;
        while (System.nanoTime() - start < budget.toNanos() && store.compact(TARGET_FILL_RATE, STEP_BYTES)) {
            steps++;
        }
        return new H2Compaction(before, store.getFileStore().size(), store.getFillRate(), steps,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
