package dev.stripeflare.store.postgres;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.UserStoreContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole store contract — its races and its bank test included — with every
 * call alternating between two stores on two separate pools in one fresh schema: two
 * application instances that share nothing but the database.
 */
class PostgresTwoInstanceContractTest extends UserStoreContract {

    private static PostgresTestDatabase database;
    private static DataSource poolA;
    private static DataSource poolB;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
        poolA = database.pool(8);
        poolB = database.pool(8);
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected UserStore newStore() {
        String schema = database.newSchema();
        return new TwoInstanceStore(PostgresUserStore.of(poolA, schema), PostgresUserStore.of(poolB, schema));
    }
}
