package dev.stripeflare;

import java.util.Objects;

/**
 * The result of a charge.
 *
 * @param charged      whether the user has paid the amount: true for {@link ChargeOutcome#CHARGED}
 *                     and {@link ChargeOutcome#REPLAYED}
 * @param balanceCents the user's balance in cents after the call (for a replay: right after the
 *                     first charge); 0 for {@link ChargeOutcome#NOT_REGISTERED}
 * @param outcome      why
 */
public record ChargeResult(boolean charged, long balanceCents, ChargeOutcome outcome) {

    /**
     * Creates the record, checking its components.
     *
     * @param charged      whether the user has paid the amount: true for {@link ChargeOutcome#CHARGED}
     *        and {@link ChargeOutcome#REPLAYED}
     * @param balanceCents the user's balance in cents after the call (for a replay: right after the
     *        first charge); 0 for {@link ChargeOutcome#NOT_REGISTERED}
     * @param outcome      why
     */
    public ChargeResult {
        Objects.requireNonNull(outcome, "outcome");
        boolean paid = outcome == ChargeOutcome.CHARGED || outcome == ChargeOutcome.REPLAYED;
        if (charged != paid) {
            throw new IllegalArgumentException("charged=" + charged + " contradicts " + outcome);
        }
    }

    /**
     * A charge made.
     *
     * @param balanceCents the balance after it
     * @return the result
     */
    public static ChargeResult charged(long balanceCents) {
        return new ChargeResult(true, balanceCents, ChargeOutcome.CHARGED);
    }

    /**
     * A retry of a charge already made: nothing charged again.
     *
     * @param balanceCentsAfterFirstCharge the balance right after the first charge
     * @return the result
     */
    public static ChargeResult replayed(long balanceCentsAfterFirstCharge) {
        return new ChargeResult(true, balanceCentsAfterFirstCharge, ChargeOutcome.REPLAYED);
    }

    /**
     * A charge declined for the balance; nothing changed.
     *
     * @param balanceCents the balance that was too low
     * @return the result
     */
    public static ChargeResult insufficientBalance(long balanceCents) {
        return new ChargeResult(false, balanceCents, ChargeOutcome.INSUFFICIENT_BALANCE);
    }

    /**
     * A charge declined because the token opens no account; nothing changed.
     *
     * @return the result
     */
    public static ChargeResult notRegistered() {
        return new ChargeResult(false, 0, ChargeOutcome.NOT_REGISTERED);
    }

    /**
     * The outcome as a short sentence.
     *
     * @return a short sentence for people
     */
    public String message() {
        return outcome.message();
    }
}
