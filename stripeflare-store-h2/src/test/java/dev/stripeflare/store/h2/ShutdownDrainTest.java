package dev.stripeflare.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.LedgerAssertions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a process charging under load ({@link DrainChild}): its own shutdown hook drains and
 * then closes the store. The store's database must stay open until that {@code close()} (H2's
 * own exit hook used to close it at once, and not one charge of the drain succeeded), every
 * acknowledged charge must be in the file afterwards, and every balance must equal its ledger.
 */
class ShutdownDrainTest {

    @TempDir
    Path dir;

    @Test
    void sigtermLeavesTheStoreOpenUntilTheApplicationHasDrainedAndClosedIt() throws Exception {
        Path file = dir.resolve("wallet");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), DrainChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).as("child ready").isEqualTo("READY");
            Thread.sleep(500); // under load for a while; what is asserted below does not depend on it
            // SIGTERM on Unix; through the handle, which (unlike Process.destroy) leaves the pipe open
            assertThat(child.toHandle().destroy()).as("SIGTERM sent").isTrue();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits").isTrue();
        assertThat(lines).as("child output").hasSize(2).endsWith("CLOSED");
        String[] drained = lines.get(0).split(" ");
        long atSignal = Long.parseLong(drained[1]);
        long acknowledged = Long.parseLong(drained[2]);
        long failedWhileDraining = Long.parseLong(drained[3]);
        System.out.println("ShutdownDrainTest: " + atSignal + " charges before SIGTERM, " + (acknowledged - atSignal)
                + " during the " + DrainChild.DRAIN_MILLIS + " ms drain, " + failedWhileDraining + " failed during it");
        assertThat(acknowledged - atSignal).as("charges acknowledged during the drain (%s failed)", failedWhileDraining)
                .isPositive();
        assertThat(failedWhileDraining).as("charges that failed during the drain").isZero();

        try (H2UserStore store = H2UserStore.file(file)) {
            long charges = 0;
            for (int a = 0; a < DrainChild.ACCOUNTS; a++) {
                long id = store.findByTokenHash(TokenHashes.of(DrainChild.token(a))).orElseThrow().userId();
                LedgerAssertions.assertBalanceMatchesLedger(store, id);
                charges += store.ledger(id).stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE).count();
            }
            assertThat(charges).as("charges in the file vs %s acknowledged", acknowledged)
                    .isGreaterThanOrEqualTo(acknowledged);
        }
    }
}
