package dev.stripeflare.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.BankReport;
import dev.stripeflare.tck.BankReport.Invariant;
import dev.stripeflare.tck.BankWorkload;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The test of the bank test: with a fixed seed, the workload passes on the in-memory store and
 * fails, naming the broken invariant, on each deliberately broken version of it
 * ({@link BrokenStores}).
 */
class BankTestCatchesBrokenStoresTest {

    private static final BankWorkload.Settings SETTINGS = new BankWorkload.Settings(20_261_129L, 8, 8_000, 20);

    private static BankReport runOn(UnaryOperator<UserStore> breaking) {
        try (UserStore store = breaking.apply(new InMemoryUserStore())) {
            BankReport report = BankWorkload.run(store, SETTINGS);
            System.out.println(report.summary() + " " + report.violations().stream().limit(3).toList());
            return report;
        }
    }

    @Test
    void theInMemoryStorePassesWithTheSameSeed() {
        BankReport report = runOn(UnaryOperator.identity());

        report.assertNoViolations();
        assertThat(report.violationCount()).isZero();
    }

    @Test
    void aChargeThatSkipsItsBalanceCheckIsCaught() {
        BankReport report = runOn(BrokenStores::chargeWithoutBalanceCheck);

        assertThat(report.violated(Invariant.NO_UNALLOWED_OVERDRAFT)).as(report.violations().toString()).isTrue();
        assertThatThrownBy(report::assertNoViolations).isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed " + SETTINGS.seed())
                .hasMessageContaining("-D" + BankWorkload.SEED_PROPERTY + "=" + SETTINGS.seed());
    }

    @Test
    void aRotationThatIgnoresItsRowCountIsCaught() {
        BankReport report = runOn(BrokenStores::rotationIgnoringItsRowCount);

        assertThat(report.violated(Invariant.TOKENS)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("rotated twice"));
    }

    @Test
    void aReversalThatDoesNotCapIsCaught() {
        BankReport report = runOn(BrokenStores::reversalWithoutCap);

        assertThat(report.violated(Invariant.REVERSAL_CAPPED)).as(report.violations().toString()).isTrue();
    }

    @Test
    void aCreditThatLosesDeferredReversalsIsCaught() {
        BankReport report = runOn(BrokenStores::creditLosingDeferredReversals);

        assertThat(report.violated(Invariant.REVERSAL_NOT_DROPPED)).as(report.violations().toString()).isTrue();
    }
}
