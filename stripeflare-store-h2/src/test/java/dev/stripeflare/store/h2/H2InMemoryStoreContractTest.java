package dev.stripeflare.store.h2;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;
import java.util.UUID;

class H2InMemoryStoreContractTest extends UserStoreContract {

    @Override
    protected UserStore newStore() {
        return H2UserStore.inMemory("contract-" + UUID.randomUUID());
    }
}
