package dev.stripeflare.store.h2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The H2 file a store writes ({@code <base>.mv.db}): where it is, how big, how much room its
 * disk has, and whether that disk takes a write now. Thread-safe (no state but the path).
 */
final class DatabaseFile {

    /** How much a recovery writes, forces and deletes beside the file to prove the disk takes writes. */
    static final int PROBE_BYTES = 1 << 20;

    private final Path file;

    private DatabaseFile(Path file) {
        this.file = file;
    }

    /**
     * The file of an H2 URL such as {@code jdbc:h2:file:/data/wallet;…} or {@code jdbc:h2:./wallet};
     * empty for in-memory, remote ({@code tcp:}, {@code ssl:}) and other non-plain-file URLs.
     */
    static Optional<DatabaseFile> ofUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            rest = rest.substring(0, semicolon);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.matches("^[a-zA-Z]{2,}:.*") && !rest.matches("^[a-zA-Z]:[\\\\/].*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio…: not a plain file of this process
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return rest.isEmpty() ? Optional.empty() : Optional.of(new DatabaseFile(Path.of(rest + ".mv.db")));
    }

    Path path() {
        return file;
    }

    /** The file's size in bytes; empty if it cannot be read. */
    OptionalLong size() {
        try {
            return OptionalLong.of(Files.size(file));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Bytes still usable on the file system holding the file; empty if unknown. */
    OptionalLong freeSpace() {
        try {
            return OptionalLong.of(Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Writes {@value #PROBE_BYTES} bytes to a new file beside the database, forces them to disk
     * and deletes the file.
     *
     * @throws IOException if the disk does not take them (full, read-only, failing)
     */
    void proveWritable() throws IOException {
        Path probe = file.resolveSibling(file.getFileName() + ".write-probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            for (int written = 0; written < PROBE_BYTES; written += block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
            }
            channel.force(true);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
