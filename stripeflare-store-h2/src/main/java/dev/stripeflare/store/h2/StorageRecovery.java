package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * How a file store comes back after a storage failure, without a restart: prove that the disk
 * takes a forced write of {@value DatabaseFile#PROBE_BYTES} bytes, reopen every connection, check
 * that the reopened database is this store's (never a new empty one), and force one write
 * through H2 itself. Only then may calls use it again. Run by {@link StorageFailures}, one at a
 * time.
 */
final class StorageRecovery {

    private final HandlePool pool;
    private final DataSource source;
    private final Optional<DatabaseFile> file;
    private final UserSchemas schemas;

    StorageRecovery(HandlePool pool, DataSource source, Optional<DatabaseFile> file, UserSchemas schemas) {
        this.pool = pool;
        this.source = source;
        this.file = file;
        this.schemas = schemas;
    }

    void reopen() throws Exception {
        if (file.isPresent()) {
            file.get().proveWritable();
        }
        pool.reopen(source, this::verify);
    }

    private void verify(Handle h) {
        int tables = h.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME IN ('ACCOUNTS', 'LEDGER', 'STORE_SCHEMA')")
                .mapTo(Integer.class).one();
        if (tables != 3) {
            h.rollback();
            throw new StoreException("the reopened database does not hold this store's tables; refusing it");
        }
        // A real write, forced to disk: an open that only reads proves nothing about the disk.
        h.execute("UPDATE STORE_SCHEMA SET VERSION = VERSION");
        h.commit();
        h.execute("CHECKPOINT SYNC");
        h.commit();
        // As at open: a user schema left by a credit the failure interrupted goes.
        schemas.dropOrphans(h);
        h.commit();
    }
}
