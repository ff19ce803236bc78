package dev.stripeflare.store.h2;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class H2FileStoreContractTest extends UserStoreContract {

    @TempDir
    Path dir;

    private final AtomicInteger stores = new AtomicInteger();

    /** A file per store: one file holds one open store (a second one is refused). */
    @Override
    protected UserStore newStore() {
        return H2UserStore.file(dir.resolve("wallet-" + stores.incrementAndGet()));
    }
}
