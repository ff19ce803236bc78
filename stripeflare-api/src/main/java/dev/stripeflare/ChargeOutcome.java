package dev.stripeflare;

/** Why a charge did or did not move money. */
public enum ChargeOutcome {
    /** The amount was debited and a ledger entry written. */
    CHARGED("Successfully charged"),
    /** The balance was too low and overdraft was not allowed. Nothing changed. */
    INSUFFICIENT_BALANCE("User balance too low"),
    /** The token belongs to no registered user (an unregistered visitor). Nothing changed. */
    NOT_REGISTERED("User is not signed up yet and cannot be charged"),
    /**
     * The idempotency key had already charged this user: nothing was charged again, and the
     * result reports the balance right after the first charge.
     */
    REPLAYED("Already charged under this idempotency key");

    private final String message;

    ChargeOutcome(String message) {
        this.message = message;
    }

    /**
     * A short human-readable sentence, as the original middleware answered.
     *
     * @return a short sentence for people
     */
    public String message() {
        return message;
    }
}
