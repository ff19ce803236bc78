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
 * The test of the bank test: with fixed seeds, the workload passes on the in-memory store and
 * fails, naming the broken invariant, on each deliberately broken version of it
 * ({@link BrokenStores}). Whether a race defect shows depends on the threads' interleaving as
 * well as on the seed: a broken store gets up to {@value #ATTEMPTS} seeded runs to be caught
 * (most runs alone catch each defect; with grants, retention and adjustments sharing the
 * workload, a single run misses an unchecked adjustment often enough that three runs did not do).
 */
class BankTestCatchesBrokenStoresTest {

    private static final int ATTEMPTS = 8;
    private static final BankWorkload.Settings SETTINGS = new BankWorkload.Settings(20_261_129L, 8, 8_000, 20);

    private static BankReport runOn(UnaryOperator<UserStore> breaking) {
        return runOn(breaking, SETTINGS);
    }

    private static BankReport runOn(UnaryOperator<UserStore> breaking, BankWorkload.Settings settings) {
        try (UserStore store = breaking.apply(new InMemoryUserStore())) {
            BankReport report = BankWorkload.run(store, settings);
            System.out.println(report.summary() + " " + report.violations().stream().limit(3).toList());
            return report;
        }
    }

    /** The first of up to {@link #ATTEMPTS} runs (seeds SETTINGS.seed() + i) that finds {@code invariant} broken. */
    private static BankReport caught(UnaryOperator<UserStore> breaking, Invariant invariant) {
        BankReport report = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            report = runOn(breaking, new BankWorkload.Settings(SETTINGS.seed() + attempt, SETTINGS.threads(),
                    SETTINGS.operations(), SETTINGS.people()));
            if (report.violated(invariant)) {
                return report;
            }
        }
        return report;
    }

    @Test
    void theInMemoryStorePassesWithTheSameSeed() {
        BankReport report = runOn(UnaryOperator.identity());

        report.assertNoViolations();
        assertThat(report.violationCount()).isZero();
    }

    @Test
    void aChargeThatSkipsItsBalanceCheckIsCaught() {
        BankReport report = caught(BrokenStores::chargeWithoutBalanceCheck, Invariant.NO_UNALLOWED_OVERDRAFT);

        assertThat(report.violated(Invariant.NO_UNALLOWED_OVERDRAFT)).as(report.violations().toString()).isTrue();
        assertThatThrownBy(report::assertNoViolations).isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed " + report.settings().seed())
                .hasMessageContaining("-D" + BankWorkload.SEED_PROPERTY + "=" + report.settings().seed());
    }

    @Test
    void aRotationThatIgnoresItsRowCountIsCaught() {
        BankReport report = caught(BrokenStores::rotationIgnoringItsRowCount, Invariant.TOKENS);

        assertThat(report.violated(Invariant.TOKENS)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("rotated twice"));
    }

    @Test
    void aReversalThatDoesNotCapIsCaught() {
        BankReport report = caught(BrokenStores::reversalWithoutCap, Invariant.REVERSAL_CAPPED);

        assertThat(report.violated(Invariant.REVERSAL_CAPPED)).as(report.violations().toString()).isTrue();
    }

    @Test
    void aCreditThatLosesDeferredReversalsIsCaught() {
        BankReport report = caught(BrokenStores::creditLosingDeferredReversals, Invariant.REVERSAL_NOT_DROPPED);

        assertThat(report.violated(Invariant.REVERSAL_NOT_DROPPED)).as(report.violations().toString()).isTrue();
    }

    @Test
    void anUnclaimedAssignmentThatIgnoresItsStatusIsCaught() {
        BankReport report = caught(BrokenStores::unclaimedAssignmentIgnoringItsStatus, Invariant.APPLIED_AT_MOST_ONCE);

        assertThat(report.violated(Invariant.APPLIED_AT_MOST_ONCE)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("unclaimed payment"));
    }

    @Test
    void anAdjustmentThatForgetsItsOperationIdIsCaught() {
        BankReport report = caught(BrokenStores::adjustmentForgettingItsOperationId, Invariant.APPLIED_AT_MOST_ONCE);

        assertThat(report.violated(Invariant.APPLIED_AT_MOST_ONCE)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("adjustment"));
    }

    @Test
    void anAdjustmentThatSkipsItsBalanceCheckIsCaught() {
        BankReport report = caught(BrokenStores::adjustmentIgnoringItsBalanceCheck, Invariant.NO_UNALLOWED_OVERDRAFT);

        assertThat(report.violated(Invariant.NO_UNALLOWED_OVERDRAFT)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("adjustment"));
    }

    @Test
    void aGrantAppliedAgainOnReplayIsCaught() {
        BankReport report = caught(BrokenStores::grantAppliedAgainOnReplay, Invariant.GRANTS);

        assertThat(report.violated(Invariant.GRANTS)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("applied twice"));
    }

    @Test
    void anOpeningThatRevivesRevokedTokensIsCaught() {
        BankReport report = caught(BrokenStores::openingRevivingRevokedTokens, Invariant.TOKENS);

        assertThat(report.violated(Invariant.TOKENS)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("openAccount revived"));
    }

    @Test
    void aCreditThatVouchesForEveryPayerIsCaught() {
        BankReport report = caught(BrokenStores::creditVouchingForEveryPayer, Invariant.ONE_ACCOUNT_PER_PAYER);

        assertThat(report.violated(Invariant.ONE_ACCOUNT_PER_PAYER)).as(report.violations().toString()).isTrue();
        assertThat(report.violations()).anySatisfy(v -> assertThat(v.detail()).contains("created through the link of payer"));
    }
}
