package dev.stripeflare.store.postgres;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole store contract against a real PostgreSQL server: each test gets a store in a fresh
 * schema on one shared pool (the application-pool constructor); every schema is dropped after
 * the class.
 */
class PostgresStoreContractTest extends UserStoreContract {

    private static PostgresTestDatabase database;
    private static DataSource pool;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
        pool = database.pool(12);
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected UserStore newStore() {
        return PostgresUserStore.of(pool, database.newSchema());
    }
}
