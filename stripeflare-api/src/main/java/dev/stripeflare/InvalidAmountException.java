package dev.stripeflare;

/**
 * An amount of money was zero, negative, or would overflow a {@code long} number of cents.
 * Thrown before anything is read or written: nothing changed.
 */
public final class InvalidAmountException extends StripeflareException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what was wrong; never a token or secret
     */
    public InvalidAmountException(String message) {
        super(message);
    }

    /**
     * Checks that {@code amountCents} is strictly positive; returns it unchanged.
     *
     * @param amountCents the amount
     * @param what        what the amount is, for the message
     * @return the amount, when positive
     */
    public static long requirePositive(long amountCents, String what) {
        if (amountCents <= 0) {
            throw new InvalidAmountException(what + " must be > 0 cents, was " + amountCents);
        }
        return amountCents;
    }
}
