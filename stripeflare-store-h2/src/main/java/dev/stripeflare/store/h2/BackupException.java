package dev.stripeflare.store.h2;

import dev.stripeflare.StripeflareException;

/**
 * A backup or restore was refused (the target exists, its directory is missing, the database
 * is open, the file is not a backup of an H2 store) or failed. Nothing was written where it was
 * asked to go, and nothing was replaced: a refused restore leaves the existing database as it
 * was, a refused backup leaves an existing target as it was.
 */
public final class BackupException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    BackupException(String message) {
        super(message);
    }

    BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
