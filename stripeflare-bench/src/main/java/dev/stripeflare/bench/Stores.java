package dev.stripeflare.bench;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.h2.H2UserStore;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Maps a benchmark's {@code store} parameter to a fresh store.
 *
 * <ul>
 *   <li>{@code memory}: {@link InMemoryUserStore};</li>
 *   <li>{@code h2-mem}: {@code H2UserStore.inMemory(name)};</li>
 *   <li>{@code h2-file}: {@code H2UserStore.file(directory/wallet)}.</li>
 * </ul>
 */
final class Stores {
    static final String MEMORY = "memory";
    static final String H2_MEM = "h2-mem";
    static final String H2_FILE = "h2-file";

    /** The stores this build can open, in table order. */
    static final List<String> AVAILABLE = List.of(MEMORY, H2_MEM, H2_FILE);

    private Stores() {
    }

    /** Prints the stores this build can open, comma-separated, for {@code run.sh}'s {@code -p store=}. */
    public static void main(String[] args) {
        System.out.println(String.join(",", AVAILABLE));
    }

    /**
     * A new, empty store (or, for {@code h2-file}, the store in {@code directory}, which may hold
     * a seeded copy).
     *
     * @param name      a name unique in this JVM, for in-memory databases
     * @param directory a private directory, for file stores
     */
    static UserStore open(String store, String name, Path directory) {
        switch (store) {
            case MEMORY:
                return new InMemoryUserStore();
            case H2_MEM:
                return H2UserStore.inMemory(name);
            case H2_FILE:
                return H2UserStore.file(fileBase(directory));
            default:
                throw new IllegalArgumentException("unknown store " + store
                        + "; expected one of memory, h2-mem, h2-file");
        }
    }

    /** Whether the store keeps its data in {@code directory}, so a seeded copy can be reused. */
    static boolean isFile(String store) {
        return H2_FILE.equals(store);
    }

    /** The files a file store keeps in {@code directory}. */
    static Path fileBase(Path directory) {
        return directory.resolve("wallet");
    }
}
