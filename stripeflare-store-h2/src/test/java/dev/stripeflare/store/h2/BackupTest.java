package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online backups and restores: consistent under load, and refusals that change nothing. */
class BackupTest {

    private static final int THREADS = 8;
    private static final int BACKUPS = 5;

    @TempDir
    Path dir;

    @Test
    void backupsTakenWhileEightThreadsChargeAndCreditRestoreIntoConsistentStores() throws Exception {
        Path live = dir.resolve("live");
        Set<String> acknowledgedCredits = ConcurrentHashMap.newKeySet();
        try (H2UserStore store = H2UserStore.file(live)) {
            for (int t = 0; t < THREADS; t++) {
                store.credit(credit("seed-" + t, "t" + t, 1_000_000));
                acknowledgedCredits.add("seed-" + t);
            }
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(thread);
                    for (int n = 0; !stop.get() && n < 200_000; n++) {
                        // Mostly this thread's own account, sometimes a new one or another's.
                        String token = random.nextInt(10) == 0 ? "t" + random.nextInt(THREADS * 2) : "t" + thread;
                        if (random.nextInt(4) == 0) {
                            String op = "c-" + thread + "-" + n;
                            store.credit(credit(op, token, 1 + random.nextInt(500)));
                            acknowledgedCredits.add(op);
                        } else {
                            store.charge(debit(token, 1 + random.nextInt(20), "k-" + thread + "-" + n));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            List<Path> backups = new ArrayList<>();
            List<Set<String>> creditsBefore = new ArrayList<>();
            List<Long> accountsAfter = new ArrayList<>();
            try {
                for (int b = 0; b < BACKUPS; b++) {
                    Path zip = dir.resolve("backup-" + b + ".zip");
                    creditsBefore.add(Set.copyOf(acknowledgedCredits));
                    store.backupTo(zip);
                    accountsAfter.add(store.admin().userCount());
                    backups.add(zip);
                }
            } finally {
                stop.set(true);
                pool.shutdown();
                assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("workers finished").isTrue();
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            for (int b = 0; b < BACKUPS; b++) {
                Path restored = dir.resolve("restored-" + b);
                H2UserStore.restore(backups.get(b), restored);
                assertConsistent(restored, creditsBefore.get(b), accountsAfter.get(b));
            }
        }
    }

    private static void assertConsistent(Path restored, Set<String> creditsBefore, long liveAccounts)
            throws SQLException {
        try (H2UserStore copy = H2UserStore.file(restored)) {
            assertThat(copy.admin().userCount()).as("accounts in the backup").isBetween(1L, liveAccounts);
            for (AccountBalance account : copy.admin().usersByBalance(10_000)) {
                LedgerAssertions.assertBalanceMatchesLedger(copy, account.userId());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + restored + ";IFEXISTS=TRUE", "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT OPERATION_ID FROM SF.LEDGER"
                     + " WHERE OPERATION_ID IS NOT NULL GROUP BY OPERATION_ID HAVING COUNT(*) > 1")) {
            assertThat(rs.next()).as("an operation id applied twice in the backup").isFalse();
        }
        try (H2UserStore copy = H2UserStore.file(restored)) {
            for (String op : creditsBefore) {
                assertThat(copy.credit(credit(op, "probe", 1)).status())
                        .as("credit %s acknowledged before the backup started", op)
                        .isEqualTo(CreditResult.Status.DUPLICATE);
            }
        }
    }

    @Test
    void aBackupNeverOverwritesAnExistingFileNorWritesIntoAMissingDirectory() throws Exception {
        try (H2UserStore store = H2UserStore.file(dir.resolve("w"))) {
            store.credit(credit("c1", "alice", 100));
            Path existing = Files.writeString(dir.resolve("taken.zip"), "someone else's file");
            assertThatThrownBy(() -> store.backupTo(existing)).isInstanceOf(BackupException.class)
                    .hasMessageContaining("exists");
            assertThat(Files.readString(existing)).isEqualTo("someone else's file");

            Path missing = dir.resolve("no-such-dir").resolve("b.zip");
            assertThatThrownBy(() -> store.backupTo(missing)).isInstanceOf(BackupException.class)
                    .hasMessageContaining("does not exist");
            assertThat(dir.resolve("no-such-dir")).doesNotExist();
            assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".part")).toList()).isEmpty();
            assertThat(store.charge(debit("alice", 1)).charged()).as("the store still serves").isTrue();
        }
        try (H2UserStore memory = H2UserStore.inMemory("backup-" + System.nanoTime())) {
            assertThatThrownBy(() -> memory.backupTo(dir.resolve("m.zip"))).isInstanceOf(BackupException.class);
            assertThat(dir.resolve("m.zip")).doesNotExist();
        }
    }

    @Test
    void aRestoreNeverReplacesAnExistingOrOpenDatabaseNorTakesAForeignArchive() throws Exception {
        Path zip = dir.resolve("b.zip");
        Path existing = dir.resolve("existing");
        try (H2UserStore store = H2UserStore.file(dir.resolve("source"))) {
            store.credit(credit("c1", "alice", 100));
            store.backupTo(zip);
        }
        try (H2UserStore other = H2UserStore.file(existing)) {
            other.credit(credit("other", "bob", 7));
            assertThatThrownBy(() -> H2UserStore.restore(zip, existing, true)).as("restore over an open database")
                    .isInstanceOf(BackupException.class).hasMessageContaining("open");
        }
        byte[] before = Files.readAllBytes(dir.resolve("existing.mv.db"));
        assertThatThrownBy(() -> H2UserStore.restore(zip, existing)).isInstanceOf(BackupException.class)
                .hasMessageContaining("exists");
        assertThat(Files.readAllBytes(dir.resolve("existing.mv.db"))).isEqualTo(before);
        assertThatThrownBy(() -> H2UserStore.restore(dir.resolve("nothing.zip"), dir.resolve("n")))
                .isInstanceOf(BackupException.class);
        assertThatThrownBy(() -> H2UserStore.restore(zip, dir.resolve("missing-dir").resolve("db")))
                .isInstanceOf(BackupException.class);

        Path evil = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new ZipEntry("../escaped.mv.db"));
            out.write("not a database".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> H2UserStore.restore(evil, dir.resolve("e"))).isInstanceOf(BackupException.class);
        assertThat(dir.getParent().resolve("escaped.mv.db")).doesNotExist();
        assertThat(dir.resolve("e.mv.db")).doesNotExist();

        Path junk = dir.resolve("junk.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(junk))) {
            out.putNextEntry(new ZipEntry("junk.mv.db"));
            out.write(new byte[8192]);
        }
        assertThatThrownBy(() -> H2UserStore.restore(junk, existing, true)).isInstanceOf(BackupException.class);
        assertThat(Files.readAllBytes(dir.resolve("existing.mv.db"))).isEqualTo(before);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.contains("restoring")).toList())
                .isEmpty();

        H2UserStore.restore(zip, existing, true);
        try (H2UserStore restored = H2UserStore.file(existing)) {
            assertThat(restored.credit(credit("c1", "probe", 1)).status()).isEqualTo(CreditResult.Status.DUPLICATE);
            assertThat(restored.admin().totalBalanceCents()).isEqualTo(100);
        }
    }
}
