package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bank test (issue 9) against the store under test: the {@link BankWorkload} under a seed
 * from {@value BankWorkload#SEED_PROPERTY} (random when unset), for
 * {@value BankWorkload#OPERATIONS_PROPERTY} operations (the store's default when unset); fails
 * listing every broken invariant, with the seed that replays it. Tagged {@code bank}: run it
 * alone, longer, with e.g. {@code -Dtest='InMemoryUserStoreContractTest*' -Dgroups=bank
 * -Dstripeflare.bank.ops=1000000}.
 */
@Tag("bank")
abstract class BankContract extends StoreContractSupport {

    /** Operations to run when {@value BankWorkload#OPERATIONS_PROPERTY} is not set. */
    abstract int defaultOperations();

    @Test
    void randomizedWorkloadKeepsEveryInvariant() {
        BankWorkload.Settings settings = BankWorkload.Settings.fromSystemProperties(defaultOperations());

        BankReport report = BankWorkload.run(store, settings);

        System.out.println("bank test on " + store.getClass().getSimpleName() + ": " + report.summary());
        report.assertNoViolations();
        assertThat(report.totalOperations()).isGreaterThanOrEqualTo(settings.operations() / settings.threads()
                * (long) settings.threads());
    }
}
