package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import dev.stripeflare.tck.StoreFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads on a few accounts: the invariants hold, whatever the interleaving. */
class ConcurrencyTest {

    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void concurrentChargesNeverOverdrawAndEveryChargeIsInTheLedger() {
        try (H2UserStore store = H2UserStore.file(dir.resolve("w"))) {
            long id = store.credit(credit("op0", "tok", 1_000)).userId();
            List<Integer> charged = ConcurrentRun.race(THREADS, Duration.ofSeconds(60), t -> {
                int ok = 0;
                for (int i = 0; i < 50; i++) {
                    if (store.charge(StoreFixtures.debit("tok", 7)).charged()) {
                        ok++;
                    }
                }
                return ok;
            });
            int total = charged.stream().mapToInt(Integer::intValue).sum();
            long balance = store.findById(id).orElseThrow().balanceCents();
            assertThat(balance).isGreaterThanOrEqualTo(0).isEqualTo(1_000 - 7L * total);
            assertThat(total).isEqualTo(1_000 / 7);
            LedgerAssertions.assertBalanceMatchesLedger(store, id);
        }
    }

    @Test
    void sameIdempotencyKeyFromManyThreadsChargesOnce() {
        try (H2UserStore store = H2UserStore.inMemory("idem-race")) {
            long id = store.credit(credit("op0", "tok", 1_000)).userId();
            List<ChargeResult> results = ConcurrentRun.race(THREADS, Duration.ofSeconds(60),
                    t -> store.charge(new Debit(TokenHashes.of("tok"), 100, false, "same-key", null,
                            StoreFixtures.T0)));
            assertThat(results).extracting(ChargeResult::outcome)
                    .containsOnly(ChargeOutcome.CHARGED, ChargeOutcome.REPLAYED)
                    .filteredOn(o -> o == ChargeOutcome.CHARGED).hasSize(1);
            assertThat(results).extracting(ChargeResult::balanceCents).containsOnly(900L);
            assertThat(store.findById(id).orElseThrow().balanceCents()).isEqualTo(900);
        }
    }

    @Test
    void sameCreditDeliveredByManyThreadsAppliesOnceAndCreatesOneAccount() {
        try (H2UserStore store = H2UserStore.builder().file(dir.resolve("w2"))
                .migration(AppMigration.userTable("1-notes", "notes", "id BIGINT")).build()) {
            List<CreditResult> results = ConcurrentRun.race(THREADS, Duration.ofSeconds(60),
                    t -> store.credit(credit("op-same", "tok", 500)));
            assertThat(results).filteredOn(r -> r.status() == CreditResult.Status.APPLIED).hasSize(1);
            assertThat(results).extracting(CreditResult::userId).containsOnly(results.get(0).userId());
            assertThat(store.admin().userCount()).isEqualTo(1);
            assertThat(store.admin().totalBalanceCents()).isEqualTo(500);
        }
    }

    @Test
    void openingOneVisitorsAccountFromManyThreadsWithUserSchemasMakesOneAccountAndOneSchema() throws Exception {
        try (H2UserStore store = H2UserStore.builder().file(dir.resolve("w4"))
                .migration(AppMigration.userTable("1-notes", "notes", "id BIGINT")).build()) {
            for (int round = 0; round < 5; round++) {
                String hash = TokenHashes.of("visitor-" + round);
                List<dev.stripeflare.spi.OpenedAccount> opened = ConcurrentRun.race(THREADS, Duration.ofSeconds(60),
                        t -> store.openAccount(hash, StoreFixtures.T0));
                assertThat(opened).filteredOn(o -> o.status() == dev.stripeflare.spi.OpenedAccount.Status.CREATED)
                        .hasSize(1);
                assertThat(opened).extracting(dev.stripeflare.spi.OpenedAccount::userId)
                        .containsOnly(opened.get(0).userId());
                assertThat(store.admin().userCount()).isEqualTo(round + 1);
            }
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                        "jdbc:h2:file:" + dir.resolve("w4").toAbsolutePath(), "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA"
                     + " WHERE SCHEMA_NAME LIKE 'SF\\_\\_U%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("a schema per account, unused ones dropped").isEqualTo(5);
        }
    }

    @Test
    void mixedCreditsAndChargesKeepEveryBalanceEqualToItsLedger() {
        try (H2UserStore store = H2UserStore.file(dir.resolve("w3"))) {
            for (int u = 0; u < 4; u++) {
                store.credit(credit("seed" + u, "u" + u, 100));
            }
            ConcurrentRun.race(THREADS, Duration.ofSeconds(60), t -> {
                for (int i = 0; i < 40; i++) {
                    String token = "u" + (i % 4);
                    if (i % 5 == 0) {
                        store.credit(credit("c-" + t + "-" + i, token, 30));
                    } else {
                        store.charge(StoreFixtures.debit(token, 9));
                    }
                }
                return null;
            });
            for (var account : store.admin().usersByBalance(10)) {
                assertThat(account.balanceCents()).isGreaterThanOrEqualTo(0);
                LedgerAssertions.assertBalanceMatchesLedger(store, account.userId());
            }
        }
    }
}
