package dev.stripeflare.store.memory;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;

class InMemoryUserStoreContractTest extends UserStoreContract {

    @Override
    protected UserStore newStore() {
        return new InMemoryUserStore();
    }
}
