package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A year of ledger, opt-in ({@code -Dstripeflare.scale=true}; entries:
 * {@code -Dstripeflare.scale.entries}, default 1 000 000): times {@link H2Admin#totalsPerDay}
 * over a month and a year against the ledger scan it replaced, and an online backup. Prints the
 * numbers; asserts only that the totals equal the scan (timings are for ADR 29, not assertions).
 */
@EnabledIfSystemProperty(named = "stripeflare.scale", matches = "true")
class AdminScaleTest {

    private static final int ENTRIES = Integer.getInteger("stripeflare.scale.entries", 1_000_000);
    private static final int USERS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aYearOfLedgerTotalsPerDayAndBacksUp() throws Exception {
        Path file = dir.resolve("year");
        long secondsApart = 365L * 86_400 / ENTRIES;
        LocalDate first = LocalDate.parse("2026-01-01");
        LocalDate last = first.plusDays(364);
        List<DailyTotal> month;
        List<DailyTotal> year;
        try (H2UserStore store = H2UserStore.file(file)) {
            for (int u = 0; u < USERS; u++) {
                store.credit(new PaymentCredit("c" + u, TokenHashes.of("t" + u), 1_000_000_000L, "pi_c" + u,
                        PaymentProfile.empty(), null, null, null, T0));
            }
            long start = System.nanoTime();
            for (int i = USERS; i < ENTRIES; i++) {
                store.charge(new Debit(TokenHashes.of("t" + (i % USERS)), 1 + i % 7, false, null, null,
                        T0.plusSeconds(i * secondsApart)));
            }
            report("%d charges over a year in %.1f s", ENTRIES - USERS, (System.nanoTime() - start) / 1e9);
            List<DailyTotal> m = null;
            List<DailyTotal> y = null;
            for (int run = 1; run <= 3; run++) {
                long t = System.nanoTime();
                m = store.admin().totalsPerDay(last.minusDays(29), last);
                report("totalsPerDay, 30 days, run %d: %.1f ms", run, (System.nanoTime() - t) / 1e6);
                t = System.nanoTime();
                y = store.admin().totalsPerDay(first, last);
                report("totalsPerDay, 365 days, run %d: %.1f ms", run, (System.nanoTime() - t) / 1e6);
            }
            month = m;
            year = y;
            long t = System.nanoTime();
            store.backupTo(dir.resolve("year.zip"));
            report("backupTo: %.2f s for a %.1f MB file (zip %.1f MB)", (System.nanoTime() - t) / 1e9,
                    Files.size(dir.resolve("year.mv.db")) / 1e6, Files.size(dir.resolve("year.zip")) / 1e6);
        }
        long t = System.nanoTime();
        List<DailyTotal> scannedMonth = DailyTotalsTest.ledgerScan(file, last.minusDays(29), last);
        report("ledger scan (the former query), 30 days: %.1f ms", (System.nanoTime() - t) / 1e6);
        t = System.nanoTime();
        List<DailyTotal> scannedYear = DailyTotalsTest.ledgerScan(file, first, last);
        report("ledger scan (the former query), 365 days: %.1f ms", (System.nanoTime() - t) / 1e6);
        assertThat(month).isEqualTo(scannedMonth);
        assertThat(year).isEqualTo(scannedYear);
        assertThat(year.stream().mapToLong(DailyTotal::entries).sum()).isEqualTo(ENTRIES);
    }

    private static void report(String format, Object... args) {
        System.out.println("AdminScaleTest: " + String.format(format, args));
    }
}
