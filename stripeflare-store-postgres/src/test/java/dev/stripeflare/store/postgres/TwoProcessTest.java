package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.tck.LedgerAssertions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two application instances as two JVM processes ({@link TwoProcessWorker}), each with its own
 * store and pool on one schema: both charge the same users at once and both receive every
 * webhook credit. Afterwards no balance is below zero, every balance equals its ledger, total
 * credited == total charged + total left, and every credit was applied exactly once.
 */
@Timeout(300)
class TwoProcessTest {

    private static final int USERS = 8;
    private static final int CREDITS = 120;
    private static final long START_CENTS = 2_000;

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
    void twoProcessesChargingAndCreditingTheSameAccountsKeepEveryInvariant() throws Exception {
        String schema = database.newSchema();
        long seed = new Random().nextLong() & Long.MAX_VALUE;
        try (PostgresUserStore store = PostgresUserStore.of(database.pool(2), schema)) {
            List<Long> userIds = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                userIds.add(store.credit(new PaymentCredit("register:" + u, TokenHashes.of("user-" + u), START_CENTS,
                        "pi_register_" + u, new PaymentProfile(null, null, null, "card-user-" + u),
                        null, null, null, T0)).userId());
            }

            List<Map<String, Long>> results = runTwoChildren(schema, seed);

            long charged = results.stream().mapToLong(r -> r.get("charged")).sum();
            long applied = results.stream().mapToLong(r -> r.get("applied")).sum();
            assertThat(applied).as("credits applied over both processes (seed %d)", seed).isEqualTo(CREDITS);
            long left = 0;
            for (long userId : userIds) {
                UserRecord account = store.findById(userId).orElseThrow();
                assertThat(account.balanceCents()).as("balance of %d", userId).isNotNegative();
                LedgerAssertions.assertBalanceMatchesLedger(store, userId);
                left += account.balanceCents();
            }
            long credited = USERS * START_CENTS + CREDITS * 50L;
            assertThat(charged + left).as("charged + left vs credited (seed %d)", seed).isEqualTo(credited);
            Map<String, Integer> payments = new HashMap<>();
            long chargedInLedgers = 0;
            for (long userId : userIds) {
                for (LedgerEntry e : store.ledger(userId)) {
                    if (e.kind() == LedgerEntryKind.PAYMENT) {
                        payments.merge(e.operationId(), 1, Integer::sum);
                    } else if (e.kind() == LedgerEntryKind.CHARGE) {
                        chargedInLedgers -= e.amountCents();
                    }
                }
            }
            assertThat(payments).hasSize(USERS + CREDITS).allSatisfy((op, n) -> assertThat(n).as(op).isEqualTo(1));
            assertThat(chargedInLedgers).as("charges in ledgers vs charges the processes saw").isEqualTo(charged);
            assertThat(charged).as("the processes charged something").isPositive();
        }
    }

    private static List<Map<String, Long>> runTwoChildren(String schema, long seed) throws Exception {
        List<CompletableFuture<Map<String, Long>>> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(runChild(schema, seed + i));
        }
        List<Map<String, Long>> results = new ArrayList<>();
        for (CompletableFuture<Map<String, Long>> child : children) {
            results.add(child.get(240, TimeUnit.SECONDS));
        }
        return results;
    }

    private static CompletableFuture<Map<String, Long>> runChild(String schema, long seed) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                TwoProcessWorker.class.getName(), database.jdbcUrl(), schema, Long.toString(seed),
                Integer.toString(USERS), Integer.toString(CREDITS), "4000")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Long> result = new HashMap<>();
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("RESULT ")) {
                        for (String part : line.substring(7).split(" ")) {
                            String[] kv = part.split("=");
                            result.put(kv[0], Long.parseLong(kv[1]));
                        }
                    }
                }
                if (!child.waitFor(60, TimeUnit.SECONDS) || child.exitValue() != 0) {
                    child.destroyForcibly();
                    throw new AssertionError("child JVM failed (exit " + (child.isAlive() ? "none" : child.exitValue()) + ")");
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (!result.containsKey("charged")) {
                throw new AssertionError("child JVM printed no RESULT");
            }
            return result;
        });
    }
}
