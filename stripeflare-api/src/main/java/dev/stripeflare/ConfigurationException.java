package dev.stripeflare;

import java.util.List;

/**
 * A wallet or store was configured with missing or malformed settings. Thrown at construction,
 * never per request. The message names every problem found, not only the first.
 */
public final class ConfigurationException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** Each problem, one sentence each. */
    private final List<String> problems;

    /**
     * An exception naming every problem.
     *
     * @param problems each problem, one sentence each
     */
    public ConfigurationException(List<String> problems) {
        super("invalid stripeflare configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Each problem found, one sentence each, naming the setting.
     *
     * @return each problem, one sentence each
     */
    public List<String> problems() {
        return problems;
    }
}
