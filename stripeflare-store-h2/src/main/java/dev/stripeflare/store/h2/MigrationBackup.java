package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A copy of a store file taken, closed, just before migrations change it, and kept until they
 * are done and forced to disk. H2 2.5 does not survive every SIGKILL during heavy DDL: killed
 * while it rebuilt a large table for {@code ADD COLUMN}, a file reopened with "Chunk N not found"
 * in about 1 of 20 kills (MigrationCrashTest, ADR 28). A copy that still exists at the next open
 * therefore means a migration was interrupted: the file is replaced by the copy (atomically) and
 * the migrations run again from where they started. The copy is made and deleted before the
 * store serves any call, and restoring moves it (it is used up), so restoring it never loses a
 * call's work. A migration that fails and is undone completely deletes the copy too; any other
 * failure keeps it, and the next open restores it the same way.
 *
 * <p>Files: {@code <base>.premigration.mv.db} (complete copies only: written under a temporary
 * name, forced, then renamed) beside {@code <base>.mv.db}. A migration needs that much free disk.
 */
final class MigrationBackup {

    private static final System.Logger LOG = System.getLogger(H2UserStore.class.getName());

    private final Path data;
    private final Path backup;
    private final Path partial;

    private MigrationBackup(String base) {
        this.data = Path.of(base + ".mv.db");
        this.backup = Path.of(base + ".premigration.mv.db");
        this.partial = Path.of(base + ".premigration.partial");
    }

    /** The backup of the H2 file {@code base + ".mv.db"}. */
    static MigrationBackup of(String base) {
        return new MigrationBackup(base);
    }

    /**
     * If a backup is left from an interrupted migration, moves it back in place of the file. Call
     * before the database is opened.
     */
    void restoreIfInterrupted() {
        try {
            Files.deleteIfExists(partial);
            if (!Files.exists(backup)) {
                return;
            }
            LOG.log(Level.WARNING, "H2 store: a migration of {0} was interrupted; restoring the file as it was"
                    + " before it ({1}) and running the migrations again", data, backup);
            requireClosed();
            // Moved, not copied: the backup is used up, so it can never be restored a second time
            // over work done after this open (a new one is taken if migrations run again).
            Files.move(backup, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(data);
        } catch (IOException e) {
            throw new StoreException("H2 store: could not restore " + data + " from " + backup
                    + " after an interrupted migration (" + e.getMessage() + "); both files are kept", e);
        }
    }

    /**
     * Copies the file, complete or not at all. The file must be closed: the copy is made under
     * a lock on it, which fails while H2 (in this JVM or another) still has it open, since a copy
     * of an open file could be torn.
     */
    void take() {
        try (FileChannel source = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(source);
            if (lock == null) {
                throw new StoreException("H2 store: " + data + " is still open elsewhere (another connection"
                        + " of this JVM or another process); close it before the store migrates it. Nothing was"
                        + " migrated");
            }
            try (lock) {
                copyComplete(source, backup);
            }
        } catch (IOException e) {
            throw new StoreException("H2 store: could not copy " + data + " to " + backup
                    + " before migrating (" + e.getMessage() + "); nothing was migrated", e);
        }
    }

    private void requireClosed() throws IOException {
        if (!Files.exists(data)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new StoreException("H2 store: a migration of " + data + " was interrupted, but the file is"
                        + " open elsewhere (another connection of this JVM or another process), so " + backup
                        + " cannot be put back; close it and open the store again. Nothing was changed");
            }
            lock.release();
        }
    }

    /** The whole file's lock, or null while H2 (of this JVM or another process) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Deletes the copy: the migrations are done and on disk. */
    void discard() {
        try {
            Files.deleteIfExists(backup);
        } catch (IOException e) {
            throw new StoreException("H2 store: the migrations are done, but " + backup + " could not be"
                    + " deleted (" + e.getMessage() + "); delete it before the next start, which would otherwise"
                    + " restore it", e);
        }
    }

    /** Whether opening will change the file: an existing store has a store schema upgrade or application migration to run. */
    static boolean needed(Connection connection, String aggregateSchema, List<String> migrationIds) throws SQLException {
        if (!tableExists(connection, aggregateSchema, "ACCOUNTS")) {
            return false;
        }
        if (!tableExists(connection, aggregateSchema, "STORE_SCHEMA")
                || !tableExists(connection, aggregateSchema, "MIGRATIONS")
                || strings(connection, "SELECT COALESCE(MAX(VERSION), 1) FROM " + aggregateSchema + ".STORE_SCHEMA")
                        .stream().mapToInt(Integer::parseInt).max().orElse(1) < BuiltInSchema.VERSION) {
            return true;
        }
        Set<String> applied = new HashSet<>(strings(connection, "SELECT ID FROM " + aggregateSchema + ".MIGRATIONS"));
        return !applied.containsAll(migrationIds);
    }

    private void copyComplete(FileChannel from, Path to) throws IOException {
        try (FileChannel copy = FileChannel.open(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long size = from.size();
            for (long position = 0; position < size; ) {
                position += from.transferTo(position, size - position, copy);
            }
            copy.force(true);
        }
        Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(to);
    }

    private static void forceDirectory(Path file) {
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException ignored) {
            // Not every platform can force a directory; the rename is atomic all the same.
        }
    }

    private static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
