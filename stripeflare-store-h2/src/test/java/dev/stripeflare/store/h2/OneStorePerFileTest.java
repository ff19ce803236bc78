package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ConfigurationException;
import dev.stripeflare.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store per H2 file: a second store on the same file in this JVM is refused, whatever name
 * reaches it, and leaves the first store's settings alone; closing the first frees the file. A
 * second process is kept out by H2's file lock.
 */
class OneStorePerFileTest {

    @TempDir
    Path dir;

    @Test
    void theSameFileTwiceIsRefusedAndTheFirstStoreKeepsItsSettings() {
        Path file = dir.resolve("wallet");
        try (H2UserStore first = H2UserStore.builder().file(file).chargeWriteDelay(Duration.ZERO).build()) {
            first.credit(credit("op1", "tok", 500));
            assertThatThrownBy(() -> H2UserStore.builder().file(file).chargeWriteDelay(Duration.ofSeconds(30)).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("already open by another H2UserStore")
                    .hasMessageContaining(dir.toAbsolutePath().toString());
            assertThatThrownBy(() -> H2UserStore.file(dir.resolve("wallet.mv.db")))
                    .as("the same file named with its extension").isInstanceOf(ConfigurationException.class);
            assertThat(first.charge(debit("tok", 100)).balanceCents()).isEqualTo(400);
        }
    }

    @Test
    void aSymlinkToTheDirectoryIsTheSameFile() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("link"), real);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.assumeTrue(false, "this file system cannot make symbolic links: " + e);
            return;
        }
        try (H2UserStore first = H2UserStore.file(real.resolve("wallet"))) {
            assertThatThrownBy(() -> H2UserStore.file(link.resolve("wallet"))).isInstanceOf(ConfigurationException.class);
            first.credit(credit("op1", "tok", 500));
        }
        try (H2UserStore throughLink = H2UserStore.file(link.resolve("wallet"))) {
            assertThatThrownBy(() -> H2UserStore.file(real.resolve("wallet"))).isInstanceOf(ConfigurationException.class);
            assertThat(throughLink.admin().userCount()).as("the same file, through the link").isEqualTo(1);
        }
    }

    @Test
    void aSymlinkToTheFileItselfIsTheSameFile() throws IOException {
        Path file = dir.resolve("wallet");
        H2UserStore.file(file).close();
        try {
            Files.createSymbolicLink(dir.resolve("alias.mv.db"), dir.resolve("wallet.mv.db"));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.assumeTrue(false, "this file system cannot make symbolic links: " + e);
        }
        try (H2UserStore first = H2UserStore.file(file)) {
            assertThatThrownBy(() -> H2UserStore.file(dir.resolve("alias"))).isInstanceOf(ConfigurationException.class);
            assertThat(first.admin().userCount()).isZero();
        }
    }

    @Test
    void dotDotAndRelativeNamesAreTheSameFile() throws IOException {
        Files.createDirectory(dir.resolve("a"));
        try (H2UserStore first = H2UserStore.file(dir.resolve("a").resolve("wallet"))) {
            assertThatThrownBy(() -> H2UserStore.file(dir.resolve("a/../a/wallet")))
                    .isInstanceOf(ConfigurationException.class);
            assertThatThrownBy(() -> H2UserStore.file(dir.resolve("a/./wallet.mv.db")))
                    .isInstanceOf(ConfigurationException.class);
            assertThat(first.admin().userCount()).isZero();
        }
    }

    @Test
    void closingTheStoreFreesTheFileAndARefusedOpenHoldsNothing() {
        Path file = dir.resolve("wallet");
        long id;
        try (H2UserStore first = H2UserStore.file(file)) {
            id = first.credit(credit("op1", "tok", 500)).userId();
        }
        // A build that fails after claiming the file must free it again.
        assertThatThrownBy(() -> H2UserStore.builder().file(file).version("v2").build())
                .isInstanceOf(ConfigurationException.class);
        try (H2UserStore again = H2UserStore.file(file)) {
            assertThat(again.findById(id).orElseThrow().balanceCents()).isEqualTo(500);
        }
        try (H2UserStore third = H2UserStore.file(file)) {
            assertThat(third.admin().userCount()).isEqualTo(1);
        }
    }

    @Test
    void ofEightThreadsOpeningOneFileAtOnceExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 10; round++) {
            Path file = dir.resolve("race-" + round);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<H2UserStore>> opens = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                opens.add(pool.submit(() -> {
                    start.await();
                    return H2UserStore.file(file);
                }));
            }
            start.countDown();
            List<H2UserStore> opened = new ArrayList<>();
            int refused = 0;
            for (Future<H2UserStore> open : opens) {
                try {
                    opened.add(open.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConfigurationException.class);
                    refused++;
                }
            }
            pool.shutdown();
            opened.forEach(H2UserStore::close);
            assertThat(opened).as("stores opened in round %s", round).hasSize(1);
            assertThat(refused).isEqualTo(7);
        }
    }

    @Test
    void aSecondProcessOnTheFileIsRefusedByH2sLock() throws Exception {
        Path file = dir.resolve("wallet");
        H2UserStore.file(file).close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FileHolder.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).as("holder ready").isEqualTo("READY");
            assertThatThrownBy(() -> H2UserStore.file(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already in use");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // The refused open holds nothing in this JVM: once the other process is gone, it opens.
        H2UserStore.file(file).close();
    }

    /** A second process: opens the store, says READY, and holds it until killed. */
    public static final class FileHolder {
        private FileHolder() {
        }

        public static void main(String[] args) throws InterruptedException {
            H2UserStore store = H2UserStore.file(Path.of(args[0]));
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(120_000);
            store.close();
        }
    }
}
