package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a payer (through the profile Stripe relays) or a client (through memos and idempotency
 * keys the application passes on) can put into the store: SQL syntax is data, text round-trips
 * exactly, and what PostgreSQL cannot store fails typed and changes nothing.
 */
class HostileInputTest {

    private static final String SQL = "'); DROP TABLE accounts; -- \\\\ \" $$ :name ? @ %s";

    private static PostgresTestDatabase database;
    private PostgresUserStore store;

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

    @BeforeEach
    void open() {
        store = PostgresUserStore.of(database.pool(2), database.newSchema());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void sqlSyntaxInEveryTextFieldIsStoredAsDataAndReadBackExactly() {
        String name = SQL + " Zoë 🦄 \u202e";
        PaymentProfile profile = new PaymentProfile(name, SQL + "@example.com", SQL.toUpperCase() + "@EXAMPLE.COM",
                SQL + "fp");
        CreditResult created = store.credit(new PaymentCredit("checkout:" + SQL, TokenHashes.of(SQL), 100, "pi_" + SQL,
                profile, null, null, SQL, T0));
        UserRecord account = store.findById(created.userId()).orElseThrow();
        assertThat(account.name()).isEqualTo(name);
        assertThat(account.cardFingerprint()).isEqualTo(SQL + "fp");
        assertThat(store.findByVerifiedEmail(SQL + "@example.com")).map(UserRecord::userId).contains(created.userId());
        assertThat(store.charge(new Debit(TokenHashes.of(SQL), 1, false, SQL, SQL, T0)).charged()).isTrue();
        List<LedgerEntry> ledger = store.ledger(created.userId());
        assertThat(ledger).extracting(LedgerEntry::memo).containsExactly(SQL, SQL);
        // A charge's key is kept once, in the key table (ADR 30), and round-trips there.
        assertThat(ledger).extracting(LedgerEntry::operationId).containsExactly("checkout:" + SQL, null);
        assertThat(store.charge(new Debit(TokenHashes.of(SQL), 1, false, SQL, SQL, T0)).outcome())
                .isEqualTo(dev.stripeflare.ChargeOutcome.REPLAYED);
        assertThat(store.admin().userCount()).isEqualTo(1);
    }

    private static String incompressible(int length) {
        StringBuilder out = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (out.length() < length) {
            out.append((char) ('!' + random.nextInt(90)));
        }
        return out.toString();
    }

    @Test
    void aNulCharacterPostgresCannotStoreBecomesAReplacementCharacterInsteadOfFailingEveryDelivery() {
        CreditResult credited = store.credit(new PaymentCredit("checkout:cs_1", TokenHashes.of("alice"), 50, "pi_1",
                new PaymentProfile("nul\u0000name", null, null, "fp\u0000"), null, null, null, T0));
        assertThat(credited.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(store.findById(credited.userId()).orElseThrow().name()).isEqualTo("nul\uFFFDname");
        assertThat(store.findByCardFingerprint("fp\u0000")).map(UserRecord::userId).contains(credited.userId());
        assertThat(store.charge(new Debit(TokenHashes.of("alice"), 1, false, null, "memo\u0000", T0)).charged()).isTrue();
        assertThat(store.ledger(credited.userId()).get(1).memo()).isEqualTo("memo\uFFFD");
    }

    @Test
    void aKeyTooLongForAnIndexFailsAsStoreExceptionAndChangesNothing() {
        long userId = store.credit(credit("checkout:cs_1", "alice", 100)).userId();
        // An index entry cannot exceed about 2.7 kB.
        assertThatThrownBy(() -> store.charge(new Debit(TokenHashes.of("alice"), 1, false, incompressible(10_000), null, T0)))
                .isInstanceOf(StoreException.class);
        Optional<UserRecord> after = store.findById(userId);
        assertThat(after.orElseThrow().balanceCents()).isEqualTo(100);
        assertThat(store.ledger(userId)).hasSize(1);
    }
}
