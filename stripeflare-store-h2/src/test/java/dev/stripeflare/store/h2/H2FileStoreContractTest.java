package dev.stripeflare.store.h2;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileStoreContractTest extends UserStoreContract {

    @TempDir
    Path dir;

    @Override
    protected UserStore newStore() {
        return H2UserStore.file(dir.resolve("wallet"));
    }
}
