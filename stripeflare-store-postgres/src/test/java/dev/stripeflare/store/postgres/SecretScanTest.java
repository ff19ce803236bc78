package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.TokenHashes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads every row of every table of a store's schema after a workload with real-looking
 * tokens, and finds no token anywhere — only their hashes — and no token in the store's
 * {@code toString()}.
 */
class SecretScanTest {

    private static PostgresTestDatabase database;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void noAccessTokenIsStoredAnywhere() throws SQLException {
        String schema = database.newSchema();
        SecureRandom random = new SecureRandom();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            tokens.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        try (PostgresUserStore store = PostgresUserStore.of(database.pool(2), schema)) {
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                String op = "checkout:cs_" + i;
                store.claimCheckout(new CheckoutClaim("cs_" + i, TokenHashes.of(token), T0, T0.plusSeconds(60)));
                store.credit(new PaymentCredit(op, TokenHashes.of(token), 500, "pi_" + i,
                        new PaymentProfile("Payer " + i, i + "@example.com", null, "card-" + (i % 2)),
                        "cs_" + i, T0.plusSeconds(60), null, T0));
                store.charge(new Debit(TokenHashes.of(token), 5, false, "key-" + i, null, T0));
                store.reverse(new PaymentReversal("refund:" + i, "pi_" + i, 10, LedgerEntryKind.REFUND, null, T0));
            }
            store.rotateToken(TokenHashes.of(tokens.get(0)), TokenHashes.of(tokens.get(5) + "x"));
            assertThat(store.toString()).doesNotContain(tokens);
        }
        String everything = dumpSchema(schema);
        assertThat(everything).as("the schema's rows").contains(TokenHashes.of(tokens.get(1)));
        for (String token : tokens) {
            assertThat(everything).as("the schema's rows").doesNotContain(token);
        }
    }

    /** Every row of every table of {@code schema}, as text. */
    private static String dumpSchema(String schema) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + schema + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("accounts", "token_hashes", "ledger", "operations", "checkouts");
            for (String table : tables) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT t::text FROM " + schema + "." + table + " t")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
