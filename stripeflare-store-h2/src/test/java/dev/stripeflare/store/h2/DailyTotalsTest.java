package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2Admin#totalsPerDay} reads DAILY_TOTALS, kept with every ledger append: it must equal
 * the ledger scan it replaced after every kind of entry, under concurrency, and after an upgrade.
 */
class DailyTotalsTest {

    private static final LocalDate FIRST = LocalDate.parse("2026-01-01");
    private static final LocalDate LAST = LocalDate.parse("2026-01-10");

    @TempDir
    Path dir;

    @Test
    void totalsEqualTheLedgerScanAfterChargesCreditsReversalsAndRestorations() throws SQLException {
        Path file = dir.resolve("w");
        List<DailyTotal> fast;
        List<DailyTotal> oneDay;
        try (H2UserStore store = H2UserStore.file(file)) {
            Random random = new Random(7);
            List<String> payments = new ArrayList<>();
            List<String> reversals = new ArrayList<>();
            for (int n = 0; n < 600; n++) {
                Instant at = T0.plusSeconds(random.nextInt(10 * 86_400));
                String token = "t" + random.nextInt(12);
                int r = random.nextInt(100);
                if (r < 30 || payments.isEmpty()) {
                    String op = "c" + n;
                    store.credit(new PaymentCredit(op, TokenHashes.of(token), 1 + random.nextInt(900), "pi_" + op,
                            PaymentProfile.empty(), null, null, null, at));
                    payments.add("pi_" + op);
                } else if (r < 75) {
                    // with and without keys, replayed keys, declined and overdrawing charges
                    String key = random.nextBoolean() ? "k" + random.nextInt(200) : null;
                    try {
                        store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(300),
                                random.nextInt(8) == 0, key, null, at));
                    } catch (IdempotencyKeyReusedException reused) {
                        // a key replayed with another amount: refused, and nothing changed
                    }
                } else if (r < 90) {
                    // mostly credited payments; sometimes one not credited yet (deferred, applied later)
                    String payment = random.nextInt(6) == 0 ? "pi_c" + (n + 1 + random.nextInt(5))
                            : payments.get(random.nextInt(payments.size()));
                    String op = "r" + n;
                    store.reverse(new PaymentReversal(op, payment, 1 + random.nextInt(400),
                            random.nextBoolean() ? LedgerEntryKind.REFUND : LedgerEntryKind.DISPUTE, null, at));
                    reversals.add(op);
                } else if (r < 95 && !payments.isEmpty()) {
                    // an operator's adjustment, either sign, to an account that exists
                    store.findByTokenHash(TokenHashes.of(token)).ifPresent(account -> store.adjust(
                            new Adjustment(account.userId(), (account.userId() + at.getEpochSecond()) % 2 == 0 ? 50 : -20, true, "test",
                                    "a" + account.userId() + "-" + at.getEpochSecond(), at)));
                } else if (!reversals.isEmpty()) {
                    store.restore(new PaymentRestoration("s" + n, reversals.get(random.nextInt(reversals.size())),
                            LedgerEntryKind.DISPUTE_WON, null, at));
                }
            }
            assertThat(store.admin().totalsPerDay(FIRST, LAST)).hasSizeGreaterThan(5);
            fast = store.admin().totalsPerDay(FIRST, LAST);
            oneDay = store.admin().totalsPerDay(FIRST.plusDays(3), FIRST.plusDays(3));
        }
        assertThat(fast).isEqualTo(ledgerScan(file, FIRST, LAST));
        assertThat(oneDay).isEqualTo(ledgerScan(file, FIRST.plusDays(3), FIRST.plusDays(3)));
    }

    @Test
    void eightThreadsChargingCreditingAndReversingKeepTotalsEqualToTheLedger() throws SQLException {
        Path file = dir.resolve("race");
        List<DailyTotal> fast;
        try (H2UserStore store = H2UserStore.file(file)) {
            for (int t = 0; t < 8; t++) {
                store.credit(credit("seed" + t, "t" + t, 100_000, T0));
            }
            ConcurrentRun.race(8, Duration.ofSeconds(120), thread -> {
                Random random = new Random(thread);
                for (int n = 0; n < 400; n++) {
                    // one hot day for every thread (its shard rows and first insert race), some others
                    Instant at = random.nextInt(4) == 0 ? T0.plusSeconds(86_400L * (1 + random.nextInt(5))) : T0;
                    String token = "t" + random.nextInt(8);
                    int r = random.nextInt(10);
                    if (r < 6) {
                        store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(50), false,
                                random.nextBoolean() ? "k" + thread + "-" + n : null, null, at));
                    } else if (r < 9) {
                        store.credit(credit("c" + thread + "-" + n, token, 1 + random.nextInt(90), at));
                    } else {
                        store.reverse(new PaymentReversal("r" + thread + "-" + n, "pi_seed" + random.nextInt(8),
                                1 + random.nextInt(30), LedgerEntryKind.REFUND, null, at));
                    }
                }
                return null;
            });
            for (AccountBalance account : store.admin().usersByBalance(100)) {
                LedgerAssertions.assertBalanceMatchesLedger(store, account.userId());
            }
            fast = store.admin().totalsPerDay(FIRST, LAST);
        }
        assertThat(fast).isEqualTo(ledgerScan(file, FIRST, LAST));
        assertThat(fast.stream().mapToLong(DailyTotal::entries).sum()).as("entries").isPositive();
    }

    @Test
    void aFileOfStoreSchema2GetsItsTotalsFromItsLedgerWhenOpened() throws SQLException {
        Path file = dir.resolve("old");
        try (H2UserStore store = H2UserStore.file(file)) {
            store.credit(credit("c1", "a", 500, T0));
            store.credit(credit("c2", "b", 300, T0.plusSeconds(86_400)));
            store.charge(new Debit(TokenHashes.of("a"), 120, false, null, null, T0.plusSeconds(86_400)));
        }
        try (Connection c = connect(file)) {
            c.createStatement().execute("DROP TABLE SF.DAILY_TOTALS");
            c.createStatement().execute("UPDATE SF.STORE_SCHEMA SET VERSION = 2");
        }
        try (H2UserStore store = H2UserStore.file(file)) {
            store.charge(new Debit(TokenHashes.of("b"), 5, false, null, null, T0.plusSeconds(86_400)));
            assertThat(store.admin().totalsPerDay(FIRST, LAST)).containsExactly(
                    new DailyTotal(FIRST, 500, 0, 1), new DailyTotal(FIRST.plusDays(1), 300, 125, 3));
        }
        assertThat(ledgerScan(file, FIRST, LAST)).containsExactly(
                new DailyTotal(FIRST, 500, 0, 1), new DailyTotal(FIRST.plusDays(1), 300, 125, 3));
    }

    @Test
    void deletingAnAccountKeepsWhatItMovedInTheTotals() {
        try (H2UserStore store = H2UserStore.inMemory("totals-" + System.nanoTime())) {
            long id = store.credit(credit("c1", "a", 500, T0)).userId();
            store.charge(new Debit(TokenHashes.of("a"), 20, false, null, null, T0));
            assertThat(store.deleteUser(id)).isTrue();
            assertThat(store.admin().totalsPerDay(FIRST, FIRST)).containsExactly(new DailyTotal(FIRST, 500, 20, 2));
        }
    }

    @Test
    void aRangeWithoutEntriesIsEmptyAndAReversedRangeIsRefused() {
        try (H2UserStore store = H2UserStore.inMemory("totals-" + System.nanoTime())) {
            store.credit(credit("c1", "a", 500, T0));
            assertThat(store.admin().totalsPerDay(LocalDate.parse("2020-01-01"), LocalDate.parse("2025-12-31")))
                    .isEmpty();
            assertThat(store.admin().totalsPerDay(LocalDate.parse("1900-01-01"), LocalDate.parse("2999-12-31")))
                    .containsExactly(new DailyTotal(FIRST, 500, 0, 1));
            assertThatThrownBy(() -> store.admin().totalsPerDay(LAST, FIRST))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static PaymentCredit credit(String op, String token, long cents, Instant at) {
        return new PaymentCredit(op, TokenHashes.of(token), cents, "pi_" + op, PaymentProfile.empty(), null, null,
                null, at);
    }

    /** The query totalsPerDay ran before DAILY_TOTALS: a scan of the ledger. */
    static List<DailyTotal> ledgerScan(Path file, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = connect(file);
             PreparedStatement q = c.prepareStatement("SELECT CAST(AT AS DATE),"
                     + " CAST(SUM(CASE WHEN AMOUNT > 0 THEN AMOUNT ELSE 0 END) AS BIGINT),"
                     + " CAST(SUM(CASE WHEN AMOUNT < 0 THEN -AMOUNT ELSE 0 END) AS BIGINT), COUNT(*)"
                     + " FROM SF.LEDGER WHERE AT >= ? AND AT < ? GROUP BY CAST(AT AS DATE) ORDER BY 1")) {
            q.setObject(1, from.atStartOfDay());
            q.setObject(2, to.plusDays(1).atStartOfDay());
            List<DailyTotal> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailyTotal(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4)));
                }
            }
            return out;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath() + ";IFEXISTS=TRUE", "sa", "");
    }
}
