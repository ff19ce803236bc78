package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;

/**
 * An application migration failed; its message names the migration and step, what was undone and
 * the state left. {@link #undone()} is whether every step this attempt made was undone, so the
 * database is exactly as before the migration (and a copy taken before migrating is not needed).
 */
final class MigrationFailure extends StoreException {
    private static final long serialVersionUID = 1L;

    private final boolean undone;

    MigrationFailure(String message, boolean undone, Throwable cause) {
        super(message, cause);
        this.undone = undone;
    }

    boolean undone() {
        return undone;
    }
}
