package dev.stripeflare;

import java.util.Objects;

/**
 * An unclaimed payment could not be assigned or marked refunded; {@link #problem()} says why.
 * Nothing changed.
 */
public final class UnclaimedPaymentException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /** Why the operation was refused. */
    public enum Problem {
        /** No unclaimed payment has this id. */
        NOT_FOUND,
        /** It was already assigned to an account (possibly by a concurrent call). */
        ALREADY_ASSIGNED,
        /** It was already marked refunded. */
        ALREADY_REFUNDED,
        /** The account to assign it to does not exist (never did, or was deleted). */
        NO_SUCH_ACCOUNT,
        /**
         * It was paid in another currency than the wallet's; the wallet never converts: refund it
         * to the payer instead.
         */
        OTHER_CURRENCY
    }

    /** What was wrong. */
    private final Problem problem;

    /**
     * An exception for {@code problem}.
     *
     * @param problem what was wrong
     * @param message the message
     */
    public UnclaimedPaymentException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /**
     * Why the operation was refused.
     *
     * @return what was wrong
     */
    public Problem problem() {
        return problem;
    }
}
