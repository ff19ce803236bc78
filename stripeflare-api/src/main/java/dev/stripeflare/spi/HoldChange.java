package dev.stripeflare.spi;

import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import java.util.Objects;

/**
 * What a store's hold step did ({@link UserStore#reserve}, {@link UserStore#capture},
 * {@link UserStore#release}).
 *
 * @param outcome             what happened
 * @param hold                the hold after the step; null when there is none (no account, no
 *                            such hold, or a reservation refused)
 * @param chargedCents        what this step took from the balance
 * @param balanceAfterCents   the account's balance after the step; 0 without an account
 * @param availableAfterCents the account's balance less its active holds after the step
 */
public record HoldChange(HoldOutcome outcome, HoldState hold, long chargedCents, long balanceAfterCents,
                         long availableAfterCents) {

    /**
     * Checks the components.
     *
     * @param outcome             what happened; never null
     * @param hold                the hold after the step; null when there is none (no account, no
     *                            such hold, or a reservation refused)
     * @param chargedCents        what this step took from the balance
     * @param balanceAfterCents   the account's balance after the step; 0 without an account
     * @param availableAfterCents the account's balance less its active holds after the step
     */
    public HoldChange {
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * A step that found no account or hold.
     *
     * @param outcome what to answer, typically {@code NOT_REGISTERED} or {@code NOT_FOUND}
     * @return a change with that outcome, no hold, and zero charged, balance and available cents
     */
    public static HoldChange none(HoldOutcome outcome) {
        return new HoldChange(outcome, null, 0, 0, 0);
    }
}
