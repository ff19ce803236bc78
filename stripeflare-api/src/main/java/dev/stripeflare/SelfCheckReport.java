package dev.stripeflare;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Wallet#selfCheck()} found: one named check per thing a host wants to know before it
 * takes payments (API key valid, Payment Link in the wallet's currency, a webhook endpoint with
 * the events the wallet reads). Never contains a secret.
 *
 * @param checks the checks, in the order run
 */
public record SelfCheckReport(List<Check> checks) {

    /**
     * Creates the record, checking its components.
     *
     * @param checks the checks, in the order run
     */
    public SelfCheckReport {
        checks = List.copyOf(checks);
    }

    /**
     * Whether no check failed (skipped checks do not count as failures).
     *
     * @return true if no check failed
     */
    public boolean passed() {
        return checks.stream().noneMatch(check -> check.status() == Status.FAIL);
    }

    /**
     * The checks that failed.
     *
     * @return the failed checks
     */
    public List<Check> failures() {
        return checks.stream().filter(check -> check.status() == Status.FAIL).toList();
    }

    /** One line per check: {@code PASS api-key: …}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(passed() ? "self-check passed" : "self-check FAILED");
        for (Check check : checks) {
            text.append(System.lineSeparator()).append("  ").append(check.status()).append(' ')
                    .append(check.name()).append(": ").append(check.message());
        }
        return text.toString();
    }

    /** The result of one check. */
    public enum Status {
        /** The check passed. */
        PASS,
        /** The check failed; its message says why. */
        FAIL,
        /** The check was not run; its message says why. */
        SKIPPED
    }

    /**
     * One named check.
     *
     * @param name    a stable name, e.g. {@code "stripe-api-key"}
     * @param status  passed, failed, or not run (with the reason in {@code message})
     * @param message what was found, in a sentence an operator can act on
     */
    public record Check(String name, Status status, String message) {
        /**
         * Creates the record, checking its components.
         *
         * @param name    a stable name
         * @param status  passed, failed, or not run
         * @param message what was found
         */
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }
    }
}
