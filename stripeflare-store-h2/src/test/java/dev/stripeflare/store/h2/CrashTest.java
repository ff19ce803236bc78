package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.tck.LedgerAssertions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, then checks on reopen that every
 * credit it acknowledged is there, every balance equals its ledger, and every user schema is
 * whole and belongs to an account. {@code -Dstripeflare.crash.iterations=N} runs more rounds.
 */
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedCreditsSurviveSigkillAndBalancesMatchLedgers() throws Exception {
        int iterations = Integer.getInteger("stripeflare.crash.iterations", 3);
        Path file = dir.resolve("crash");
        Random random = new Random();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < iterations; i++) {
            long seed = random.nextLong() & Long.MAX_VALUE;
            runAndKill(file, seed, 200 + random.nextInt(1200), acknowledged);
            verify(file, acknowledged);
        }
        assertThat(acknowledged).as("credits acknowledged before the kills").isNotEmpty();
    }

    private static void runAndKill(Path file, long seed, long runMillis, Set<String> acknowledged)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), file.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                        acknowledged.add(line.substring(4));
                    }
                }
            } catch (IOException ignored) {
                // the pipe breaks when the child is killed
            }
        });
        reader.start();
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("child ready").isTrue();
        Thread.sleep(runMillis);
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
    }

    private static void verify(Path file, Set<String> acknowledged) throws SQLException {
        try (H2UserStore store = H2UserStore.builder().file(file).migration(CrashWriter.NOTES).build()) {
            for (String op : acknowledged) {
                CreditResult again = store.credit(new PaymentCredit(op, TokenHashes.of("probe"), 1, null,
                        PaymentProfile.empty(), null, null, null, Instant.EPOCH));
                assertThat(again.status()).as("acknowledged credit %s after SIGKILL", op)
                        .isEqualTo(CreditResult.Status.DUPLICATE);
            }
            for (AccountBalance account : store.admin().usersByBalance(10_000)) {
                LedgerAssertions.assertBalanceMatchesLedger(store, account.userId());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "")) {
            Set<String> expected = new HashSet<>(strings(c, "SELECT 'SF__U' || USER_ID FROM SF.ACCOUNTS"));
            List<String> schemas = strings(c, "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA"
                    + " WHERE SCHEMA_NAME LIKE 'SF\\_\\_U%'");
            assertThat(new HashSet<>(schemas)).as("user schemas").isEqualTo(expected);
            List<String> whole = strings(c, "SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_NAME = 'notes'");
            assertThat(new HashSet<>(whole)).as("user schemas holding their table").isEqualTo(expected);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
