package dev.stripeflare.store.h2;

import dev.stripeflare.ConfigurationException;
import dev.stripeflare.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The H2 files that an {@link H2UserStore} of this JVM has open, one store per file. H2 shares
 * one database per file name within a JVM, so a second store on the same file would open
 * silently and its URL settings ({@code WRITE_DELAY}) would replace the first store's for good.
 * The key is the file's real path, so a symlink, {@code ..} or a relative path cannot hide that
 * two names are one file. Another process is kept out by H2's own file lock.
 *
 * <p>This is the store's one piece of static state, because the file it guards is shared by the
 * whole JVM. Thread-safe: of concurrent claims of one file, exactly one succeeds.
 */
final class OpenFiles {

    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private OpenFiles() {
    }

    /** A claimed file; {@link #close()} frees it (idempotent). */
    static final class Claim implements AutoCloseable {
        private final Path realPath;
        private final AtomicBoolean released = new AtomicBoolean();

        private Claim(Path realPath) {
            this.realPath = realPath;
        }

        Path realPath() {
            return realPath;
        }

        @Override
        public void close() {
            if (realPath != null && released.compareAndSet(false, true)) {
                OPEN.remove(realPath);
            }
        }
    }

    /** The claim of a store that has no file of its own (in memory, or an application's data source). */
    static Claim none() {
        return new Claim(null);
    }

    /**
     * Claims {@code dataFile} (the {@code .mv.db} file, which need not exist yet) for one store.
     *
     * @throws ConfigurationException if another store of this JVM has it open
     */
    static Claim claim(Path dataFile) {
        Path real = realPath(dataFile);
        if (!OPEN.add(real)) {
            throw new ConfigurationException(List.of("the H2 file " + real + " is already open by another"
                    + " H2UserStore in this JVM (possibly under another name or through a symlink); use that"
                    + " store, or close it before opening the file again"));
        }
        return new Claim(real);
    }

    /**
     * The file's real path if it exists; else the real path of its nearest existing ancestor
     * with the remaining names appended (the part that does not exist yet has no links to follow).
     */
    static Path realPath(Path file) {
        Path absolute = file.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? absolute.getRoot() : existing.toRealPath();
            for (Path name : missing) {
                real = real.resolve(name);
            }
            return real.normalize();
        } catch (IOException e) {
            throw new StoreException("cannot resolve the H2 file " + file + ": " + e.getMessage(), e);
        }
    }
}
