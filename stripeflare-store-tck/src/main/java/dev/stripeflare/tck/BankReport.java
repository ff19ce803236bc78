package dev.stripeflare.tck;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one run of the {@link BankWorkload} did and which invariants it found broken.
 *
 * @param settings        the run's settings, including the seed that replays its operation streams
 * @param operations      how many operations of each kind the run issued
 * @param violationCount  how many violations were found (only the first ones are kept in
 *                        {@code violations})
 * @param violations      the first violations found, in the order found
 * @param elapsed         how long the run took, workload and final audit together
 */
public record BankReport(
        BankWorkload.Settings settings,
        Map<String, Long> operations,
        int violationCount,
        List<Violation> violations,
        Duration elapsed) {

    /**
     * Creates the record, checking its components.
     *
     * @param settings        the run's settings, including the seed that replays its operation streams
     * @param operations      how many operations of each kind the run issued
     * @param violationCount  how many violations were found (only the first ones are kept in
     *        {@code violations})
     * @param violations      the first violations found, in the order found
     * @param elapsed         how long the run took, workload and final audit together
     */
    public BankReport {
        Objects.requireNonNull(settings, "settings");
        operations = Map.copyOf(operations);
        violations = List.copyOf(violations);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The invariants the bank test checks. */
    public enum Invariant {
        /** Every account's balance equals the sum of its ledger, entry by entry. */
        BALANCE_EQUALS_LEDGER,
        /** Every account's balance equals credits − reversals + restorations − charges seen by the callers. */
        MONEY_CONSERVED,
        /** No charge without permission to overdraw took a balance below zero. */
        NO_UNALLOWED_OVERDRAFT,
        /** Every idempotency key (per account) and every Stripe operation id was applied at most once. */
        APPLIED_AT_MOST_ONCE,
        /** Every reversal was applied, or is still deferred, or was cancelled by a restoration: never dropped. */
        REVERSAL_NOT_DROPPED,
        /** The reversals of one payment never took more than it credited, less what was given back. */
        REVERSAL_CAPPED,
        /** A restoration gave back exactly what its reversal took, at most once. */
        RESTORED_EXACTLY_ONCE,
        /** Every live token opens exactly its one account; revoked ones open nothing; rotations win once. */
        TOKENS,
        /** Payments with one card (or verified email) never end in two live accounts. */
        ONE_ACCOUNT_PER_PAYER,
        /** A checkout is claimed only by its own token, in time, never by another. */
        CLAIMS,
        /** The store threw where the contract says it must not. */
        UNEXPECTED_EXCEPTION,
        /**
         * Grants (ADR 33): each given at most once; each grant's cents spent, left or ended, never
         * two of these; granted credit equals the active grants' remainders (so paid + granted ==
         * balance); grant credit spent only by charges.
         */
        GRANTS,
        /**
         * Holds (ADR 34): each made once (one per reservation key); captures charged exactly what
         * their callers were told, never more than the hold without overdraft; the account holds
         * exactly what its active holds reserve.
         */
        HOLDS
    }

    /** One broken invariant, with what was seen. */
    public record Violation(Invariant invariant, String detail) {

        /**
         * Creates the record, checking its components.
         *
         * @param invariant the broken invariant
         * @param detail    what was seen
         */
        public Violation {
            Objects.requireNonNull(invariant, "invariant");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return invariant + ": " + detail;
        }
    }

    /**
     * Whether the run found {@code invariant} broken.
     *
     * @param invariant the invariant
     * @return true if it was broken
     */
    public boolean violated(Invariant invariant) {
        return violations.stream().anyMatch(v -> v.invariant() == invariant);
    }

    /**
     * The total number of operations issued.
     *
     * @return the count
     */
    public long totalOperations() {
        return operations.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Throws an {@link AssertionError} listing the violations and how to replay the run, if
     * there are any.
     */
    public void assertNoViolations() {
        if (violationCount > 0) {
            throw new AssertionError(violationCount + " violation(s) in the bank test, " + summary()
                    + "\nreplay with -D" + BankWorkload.SEED_PROPERTY + "=" + settings.seed()
                    + " -D" + BankWorkload.OPERATIONS_PROPERTY + "=" + settings.operations() + "\n  "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
        }
    }

    /**
     * The seed, sizes, operation counts and run time, in one line.
     *
     * @return one line per kind of operation, and the violations
     */
    public String summary() {
        return "seed " + settings.seed() + ", " + settings.threads() + " threads, " + settings.people()
                + " payers, " + totalOperations() + " operations in " + elapsed.toMillis() + " ms " + operations;
    }
}
