package dev.stripeflare.store.h2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Online backups of a file store (H2's {@code BACKUP TO}, which copies a consistent state of the
 * database while it keeps running) and restoring them into a new file. Every file is written
 * beside its destination under a temporary name, forced to disk and then moved into place, so
 * a failure never leaves a half-written backup or database where one was asked for.
 */
final class Backups {

    private static final String DB_SUFFIX = ".mv.db";

    private Backups() {
    }

    static void backup(HandlePool pool, boolean isFile, Path target) {
        if (!isFile) {
            throw new BackupException("an in-memory H2 store has no file to back up");
        }
        Path zip = target.toAbsolutePath().normalize();
        Path dir = directoryOf(zip, "backup");
        if (Files.exists(zip)) {
            throw new BackupException("backup target " + zip + " exists; nothing was written");
        }
        Path part = null;
        try {
            part = Files.createTempFile(dir, zip.getFileName() + ".", ".part");
            Files.delete(part); // BACKUP TO refuses nothing, but writes the file itself
            Path into = part;
            pool.unsupervised("backing up", h -> {
                h.execute("BACKUP TO ?", into.toString());
                return null;
            });
            force(part);
            singleDatabaseEntry(part);
            Files.move(part, zip); // no REPLACE_EXISTING: a target made meanwhile is kept
            forceDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BackupException("backup target " + zip + " exists; nothing was written", e);
        } catch (IOException e) {
            throw new BackupException("backing up to " + zip + " failed; nothing was written there: " + e, e);
        } finally {
            deleteQuietly(part);
        }
    }

    static void restore(Path backupZip, Path databaseFile, boolean replaceExisting) {
        Path zip = backupZip.toAbsolutePath().normalize();
        String base = databaseFile.toAbsolutePath().normalize().toString();
        if (base.endsWith(DB_SUFFIX)) {
            base = base.substring(0, base.length() - DB_SUFFIX.length());
        }
        Path target = Path.of(base + DB_SUFFIX);
        Path dir = directoryOf(target, "restore");
        if (!Files.isRegularFile(zip)) {
            throw new BackupException("no backup at " + zip + "; nothing was restored");
        }
        if (Files.exists(target)) {
            if (!replaceExisting) {
                throw new BackupException("a database exists at " + target
                        + "; nothing was restored (restore(zip, file, true) replaces it)");
            }
            refuseIfOpen(target);
        }
        Path part = null;
        try {
            part = Files.createTempFile(dir, target.getFileName() + ".restoring-", DB_SUFFIX);
            try (ZipFile archive = new ZipFile(zip.toFile());
                 InputStream in = archive.getInputStream(singleDatabaseEntry(archive, zip))) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            force(part);
            verifyStore(part);
            if (replaceExisting) {
                refuseIfOpen(target);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(part, target);
            }
            forceDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BackupException("a database exists at " + target + "; nothing was restored", e);
        } catch (IOException e) {
            throw new BackupException("restoring " + zip + " to " + target + " failed; nothing was replaced: " + e, e);
        } finally {
            deleteQuietly(part);
        }
    }

    private static Path directoryOf(Path file, String what) {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BackupException("the directory of the " + what + " target " + file
                    + " does not exist; nothing was written");
        }
        return dir;
    }

    /** The one H2 database file in the archive, by a plain name (no directory, no "..", no other entries). */
    private static ZipEntry singleDatabaseEntry(ZipFile archive, Path zip) {
        ZipEntry found = null;
        Enumeration<? extends ZipEntry> entries = archive.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            boolean plain = !name.contains("/") && !name.contains("\\") && !name.contains("..")
                    && name.endsWith(DB_SUFFIX);
            if (!plain || found != null) {
                throw new BackupException(zip + " is not a backup of one H2 store (entry '" + name
                        + "'); nothing was restored");
            }
            found = entry;
        }
        if (found == null) {
            throw new BackupException(zip + " holds no H2 database; nothing was restored");
        }
        return found;
    }

    private static void singleDatabaseEntry(Path zip) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            singleDatabaseEntry(archive, zip);
        }
    }

    /** Opens the extracted file read-only and checks that it holds a store's tables. */
    private static void verifyStore(Path file) {
        String base = file.toString().substring(0, file.toString().length() - DB_SUFFIX.length());
        String url = "jdbc:h2:file:" + base + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_NAME IN ('ACCOUNTS', 'LEDGER', 'STORE_SCHEMA')")) {
            rs.next();
            if (rs.getInt(1) < 3) {
                throw new BackupException("the backup is an H2 database but not a stripeflare store; nothing was restored");
            }
        } catch (SQLException e) {
            throw new BackupException("the backup does not open as an H2 database; nothing was restored: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(Path.of(base + ".trace.db"));
        }
    }

    /** H2 locks an open file; a lock we cannot take means a store (here or elsewhere) has it open. */
    private static void refuseIfOpen(Path target) {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new BackupException(target + " is open in another process; nothing was restored");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new BackupException(target + " is open by a store in this JVM; close it first; nothing was restored");
        } catch (IOException e) {
            throw new BackupException("cannot check whether " + target + " is open; nothing was restored: " + e, e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be forced; the move itself is done.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless and named as such
        }
    }
}
