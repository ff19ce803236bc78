package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk on a real (tmpfs) file system: before this store watched its storage, H2 reported
 * the failed background write to one commit, then acknowledged 614 more charges that never
 * reached the file, then closed the database for good (freeing space did not help until a
 * restart). Now: no call succeeds after the first failure while the disk is full, one ERROR is
 * logged, health says DOWN, and once space is freed the next call reopens the database.
 */
class StorageFailureTest {

    private static final int ACCOUNTS = 8;

    @TempDir
    Path dir;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger storeLogger = Logger.getLogger(H2UserStore.class.getName());
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void recordLogs() {
        storeLogger.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        storeLogger.removeHandler(recorder);
    }

    @Test
    void aFullDiskFailsEveryCallFastLogsOneErrorAndTheStoreRecoversWhenSpaceIsFreed() throws Exception {
        List<String> acknowledgedCredits = new ArrayList<>();
        Path file;
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 4)) {
            file = disk.root().resolve("wallet");
            try (H2UserStore store = H2UserStore.builder().file(file).storageRetryInterval(Duration.ZERO)
                    .lowDiskSpace(512 * 1024).build()) {
                for (int a = 0; a < ACCOUNTS; a++) {
                    store.credit(credit("c-" + a, "t" + a, 1_000_000));
                    acknowledgedCredits.add("c-" + a);
                }
                assertThat(store.health().status()).as("%s", store.health()).isEqualTo(StoreHealth.Status.UP);

                Path filler = disk.fill("filler");
                assertThat(store.health().status()).as("a full disk before any failure: %s", store.health())
                        .isEqualTo(StoreHealth.Status.DEGRADED);

                // Charges (and a credit in 50) until the first failure: H2 reports a failed
                // background write on a later commit, a credit's forced write at once.
                int firstFailure = -1;
                for (int i = 0; i < 2_000_000 && firstFailure < 0; i++) {
                    String token = "t" + (i % ACCOUNTS);
                    try {
                        if (i % 50 == 49) {
                            store.credit(credit("c-full-" + i, token, 100));
                            acknowledgedCredits.add("c-full-" + i);
                        } else {
                            store.charge(debit(token, 1, "k-full-" + i));
                        }
                    } catch (StoreException e) {
                        assertThat(e).hasMessageContaining("storage failed");
                        firstFailure = i;
                    }
                }
                assertThat(firstFailure).as("a call failed on the full disk").isNotNegative();

                List<Consumer<UserStore>> calls = List.of(
                        s -> s.charge(debit("t1", 1)),
                        s -> s.charge(debit("t2", 1, "k-after")),
                        s -> s.credit(credit("c-after", "t3", 100)),
                        s -> s.findByTokenHash(TokenHashes.of("t4")),
                        s -> s.ledger(1),
                        s -> s.rotateToken(TokenHashes.of("t5"), TokenHashes.of("t5-new")));
                for (int round = 0; round < 50; round++) {
                    for (Consumer<UserStore> call : calls) {
                        assertThatThrownBy(() -> call.accept(store)).as("a call while the disk is full")
                                .isInstanceOf(StoreException.class).hasMessageContaining("storage failed");
                    }
                }
                assertThatThrownBy(() -> store.admin().userCount()).isInstanceOf(StoreException.class);
                StoreHealth down = store.health();
                assertThat(down.status()).as("%s", down).isEqualTo(StoreHealth.Status.DOWN);
                assertThat(down.detail()).contains("storage failed");
                assertThat(down.lastFailure()).isPresent();
                assertThat(errors()).as("ERROR records while the disk is full").hasSize(1);

                Files.delete(filler);
                assertThat(store.charge(debit("t1", 7, "k-recovered")).charged()).as("first charge after space freed")
                        .isTrue();
                StoreHealth up = store.health();
                assertThat(up.status()).as("%s", up).isEqualTo(StoreHealth.Status.UP);
                assertThat(up.lastFailure()).isEqualTo(down.lastFailure());
                assertThat(store.credit(credit("c-recovered", "t2", 100)).status())
                        .isEqualTo(CreditResult.Status.APPLIED);
                acknowledgedCredits.add("c-recovered");
                for (int i = 0; i < 1_000; i++) {
                    assertThat(store.charge(debit("t" + (i % ACCOUNTS), 1)).charged()).isTrue();
                }
                assertEveryCreditKnownAndBalancesMatchLedgers(store, acknowledgedCredits);
                assertThat(errors()).as("ERROR records in the whole run").hasSize(1);
            }
            H2UserStore reopened = H2UserStore.file(file);
            try {
                assertEveryCreditKnownAndBalancesMatchLedgers(reopened, acknowledgedCredits);
                assertThat(reopened.charge(debit("t1", 7, "k-recovered")).outcome())
                        .as("a charge acknowledged after recovery is on disk (replayed, not charged again)")
                        .isEqualTo(dev.stripeflare.ChargeOutcome.REPLAYED);
            } finally {
                reopened.close();
            }
            assertThat(reopened.health().status()).isEqualTo(StoreHealth.Status.DOWN);
        }
    }

    @Test
    void eightThreadsOnAFillingDiskGetNoAcknowledgementAfterTheFailureAndAllResumeWhenSpaceIsFreed()
            throws Exception {
        Set<String> acknowledgedCredits = ConcurrentHashMap.newKeySet();
        AtomicBoolean failureSeen = new AtomicBoolean();
        AtomicBoolean spaceFreed = new AtomicBoolean();
        AtomicInteger acknowledgedAfterFailureSeen = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger successesAfterRecovery = new AtomicInteger();
        Path file;
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk8"), 4)) {
            file = disk.root().resolve("wallet");
            try (H2UserStore store = H2UserStore.builder().file(file).storageRetryInterval(Duration.ZERO)
                    .lowDiskSpace(0).build()) {
                for (int a = 0; a < ACCOUNTS; a++) {
                    store.credit(credit("c-" + a, "t" + a, 1_000_000));
                    acknowledgedCredits.add("c-" + a);
                }
                Path filler = disk.fill("filler");
                CountDownLatch allFailed = new CountDownLatch(ACCOUNTS);
                ConcurrentRun.race(ACCOUNTS, Duration.ofSeconds(120), thread -> {
                    boolean counted = false;
                    for (int n = 0; n < 2_000_000 && successesAfterRecovery.get() < 2_000; n++) {
                        // After the first failure was seen, a call that starts must not be acknowledged
                        // until the space is freed.
                        boolean startedAfterFailure = failureSeen.get() && !spaceFreed.get();
                        String token = "t" + ((thread + n) % ACCOUNTS);
                        try {
                            if (n % 25 == 24) {
                                String op = "c-" + thread + "-" + n;
                                store.credit(credit(op, token, 100));
                                acknowledgedCredits.add(op);
                            } else {
                                store.charge(debit(token, 1, "k-" + thread + "-" + n));
                            }
                            // the filler is deleted only after spaceFreed is set: a call acknowledged
                            // while it is still unset ran wholly on the full disk
                            if (startedAfterFailure && !spaceFreed.get()) {
                                acknowledgedAfterFailureSeen.incrementAndGet();
                            }
                            if (spaceFreed.get()) {
                                successesAfterRecovery.incrementAndGet();
                            }
                        } catch (StoreException e) {
                            if (!spaceFreed.get()) {
                                failureSeen.set(true);
                                failures.incrementAndGet();
                                if (!counted && failures.get() > 200) {
                                    counted = true;
                                    allFailed.countDown();
                                }
                            }
                        }
                        if (thread == 0 && !spaceFreed.get() && allFailed.getCount() == 0) {
                            // every thread has failed for a while: free the space
                            spaceFreed.set(true); // first: a call starting from now on may be acknowledged
                            try {
                                Files.delete(filler);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                    return null;
                });
                assertThat(failureSeen).as("a call failed on the full disk").isTrue();
                assertThat(acknowledgedAfterFailureSeen.get()).as("calls acknowledged after the failure was seen")
                        .isZero();
                assertThat(spaceFreed).as("space was freed during the run").isTrue();
                assertThat(successesAfterRecovery.get()).as("calls acknowledged after the space was freed")
                        .isGreaterThanOrEqualTo(2_000);
                assertThat(store.health().status()).isEqualTo(StoreHealth.Status.UP);
                assertEveryCreditKnownAndBalancesMatchLedgers(store, List.copyOf(acknowledgedCredits));
                assertThat(errors()).as("ERROR records").hasSize(1);
            }
            try (H2UserStore reopened = H2UserStore.file(file)) {
                assertEveryCreditKnownAndBalancesMatchLedgers(reopened, List.copyOf(acknowledgedCredits));
            }
        }
    }

    private static void assertEveryCreditKnownAndBalancesMatchLedgers(H2UserStore store, List<String> credits) {
        for (String op : credits) {
            assertThat(store.credit(credit(op, "probe", 1)).status()).as("acknowledged credit %s", op)
                    .isEqualTo(CreditResult.Status.DUPLICATE);
        }
        for (AccountBalance account : store.admin().usersByBalance(100)) {
            LedgerAssertions.assertBalanceMatchesLedger(store, account.userId());
        }
    }

    private List<LogRecord> errors() {
        return logged.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }
}
