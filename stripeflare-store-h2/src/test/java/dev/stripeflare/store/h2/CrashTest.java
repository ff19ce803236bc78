package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@link CrashWriter}: credits, charges, reversals, restorations,
 * rotations and deletions on {@value CrashWriter#THREADS} threads) with SIGKILL at random
 * moments, at least 20 times, reopening the same file each time. After each kill it checks that
 * every balance equals its ledger, that every credit, reversal and restoration the child
 * acknowledged is there (delivering it again is a duplicate), that every token the child
 * rotated away or whose account it deleted opens nothing (and charges nothing), that no token
 * row names a deleted account, and that every user schema is whole and belongs to an account.
 * {@code -Dstripeflare.crash.iterations=N} runs N kills.
 *
 * <p>Opt-in, and not part of the default build, while the H2 anomaly of ADR 24 stands: about one
 * run of 20 kills in four finds a transaction that reached the file in part (a charge's balance
 * without its ledger entry, an acknowledged reversal missing), which no change of ours has removed
 * yet. Run it after any change to H2 write paths; README "Storage: the H2 store" tells operators
 * what it means for them.
 */
@EnabledIfSystemProperty(named = "stripeflare.crash.iterations", matches = "[1-9][0-9]*",
        disabledReason = "opt-in while the H2 crash anomaly of ADR 24 stands: -Dstripeflare.crash.iterations=20")
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedWorkSurvivesSigkillAndBalancesMatchLedgers() throws Exception {
        int iterations = Integer.getInteger("stripeflare.crash.iterations", 20);
        Path file = dir.resolve("crash");
        Random random = new Random();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < iterations; i++) {
            long seed = random.nextLong() & Long.MAX_VALUE;
            runAndKill(file, seed, 100 + random.nextInt(700), acknowledged);
            verify(file, acknowledged);
        }
        assertThat(acknowledged).as("acknowledgements before the kills")
                .anyMatch(a -> a.startsWith("C ")).anyMatch(a -> a.startsWith("R "))
                .anyMatch(a -> a.startsWith("T "));
    }

    private static void runAndKill(Path file, long seed, long runMillis, Set<String> acknowledged)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
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
        child.destroyForcibly(); // SIGKILL on Unix
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
    }

    private static void verify(Path file, Set<String> acknowledged) throws SQLException {
        try (H2UserStore store = H2UserStore.builder().file(file).migration(CrashWriter.NOTES).build()) {
            for (String ack : acknowledged) {
                String[] part = ack.split(" ");
                switch (part[0]) {
                    case "C" -> assertThat(store.credit(new PaymentCredit(part[1], TokenHashes.of("probe"), 1, null,
                            PaymentProfile.empty(), null, null, null, Instant.EPOCH)).status())
                            .as("acknowledged credit %s after SIGKILL", part[1])
                            .isEqualTo(CreditResult.Status.DUPLICATE);
                    case "R" -> assertThat(store.reverse(new PaymentReversal(part[1], "pi_probe", 1,
                            LedgerEntryKind.REFUND, null, Instant.EPOCH)).status())
                            .as("acknowledged reversal %s after SIGKILL", part[1])
                            .isEqualTo(ReversalResult.Status.DUPLICATE);
                    // a restoration answered DUPLICATE (its reversal restored or cancelled before) changed nothing
                    case "S" -> assertThat(part[2].equals("DUPLICATE") ? ReversalResult.Status.DUPLICATE
                            : store.restore(new PaymentRestoration(part[1], "probe-" + part[1],
                            LedgerEntryKind.DISPUTE_WON, null, Instant.EPOCH)).status())
                            .as("acknowledged restoration %s after SIGKILL", part[1])
                            .isEqualTo(ReversalResult.Status.DUPLICATE);
                    case "T" -> assertOpensNothing(store, part[1], "rotated-away token");
                    case "D" -> {
                        assertThat(store.findById(Long.parseLong(part[1]))).as("deleted account").isEmpty();
                        assertOpensNothing(store, part[2], "token of a deleted account");
                    }
                    default -> throw new AssertionError("unknown acknowledgement " + ack);
                }
            }
            assertThat(store.admin().userCount()).as("accounts (all checked below)").isLessThanOrEqualTo(10_000);
            for (AccountBalance account : store.admin().usersByBalance(10_000)) {
                LedgerAssertions.assertBalanceMatchesLedger(store, account.userId());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "")) {
            assertThat(strings(c, "SELECT TOKEN_HASH FROM SF.TOKENS T WHERE NOT EXISTS"
                    + " (SELECT 1 FROM SF.ACCOUNTS A WHERE A.USER_ID = T.USER_ID)"))
                    .as("token rows of deleted accounts").isEmpty();
            assertThat(strings(c, "SELECT TOKEN_HASH FROM SF.TOKENS WHERE TOKEN_HASH IN"
                    + " (SELECT TOKEN_HASH FROM SF.REVOKED_TOKENS)")).as("tokens both live and revoked").isEmpty();
            Set<String> expected = new HashSet<>(strings(c, "SELECT 'SF__U' || USER_ID FROM SF.ACCOUNTS"));
            List<String> schemas = strings(c, "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA"
                    + " WHERE SCHEMA_NAME LIKE 'SF\\_\\_U%'");
            assertThat(new HashSet<>(schemas)).as("user schemas").isEqualTo(expected);
            List<String> whole = strings(c, "SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_NAME = 'notes'");
            assertThat(new HashSet<>(whole)).as("user schemas holding their table").isEqualTo(expected);
        }
    }

    private static void assertOpensNothing(H2UserStore store, String token, String what) {
        assertThat(store.findByTokenHash(TokenHashes.of(token))).as("%s %s", what, token).isEmpty();
        assertThat(store.charge(new Debit(TokenHashes.of(token), 1, true, null, null, Instant.EPOCH)).outcome())
                .as("charging %s %s", what, token).isEqualTo(ChargeOutcome.NOT_REGISTERED);
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
