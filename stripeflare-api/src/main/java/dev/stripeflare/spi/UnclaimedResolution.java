package dev.stripeflare.spi;

import dev.stripeflare.UnclaimedPayment;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link UserStore#assignUnclaimed} or {@link UserStore#markUnclaimedRefunded} did.
 *
 * @param status       resolved now, or why not
 * @param payment      the unclaimed payment as it stands after the call; empty for {@code NOT_FOUND}
 * @param balanceCents for an assignment resolved now, the account's balance right after it (and
 *                     after any reversal of the payment that was waiting for it); else 0
 */
public record UnclaimedResolution(Status status, Optional<UnclaimedPayment> payment, long balanceCents) {

    /**
     * Creates the record, checking its components.
     *
     * @param status       resolved now, or why not
     * @param payment      the unclaimed payment as it stands after the call; empty for {@code NOT_FOUND}
     * @param balanceCents for an assignment resolved now, the account's balance right after it (and
     *        after any reversal of the payment that was waiting for it); else 0
     */
    public UnclaimedResolution {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(payment, "payment");
        if ((status == Status.NOT_FOUND) != payment.isEmpty()) {
            throw new IllegalArgumentException("every answer but NOT_FOUND carries the payment");
        }
    }

    /** What happened. Only {@code RESOLVED} changed anything. */
    public enum Status {
        /** Assigned (credited) or marked refunded by this call. */
        RESOLVED,
        /** No unclaimed payment has this id. */
        NOT_FOUND,
        /** It was already assigned to an account. */
        ALREADY_ASSIGNED,
        /** It was already marked refunded. */
        ALREADY_REFUNDED,
        /** The account to assign it to does not exist. */
        NO_SUCH_ACCOUNT
    }

    /**
     * No unclaimed payment has the id.
     *
     * @return the resolution
     */
    public static UnclaimedResolution notFound() {
        return new UnclaimedResolution(Status.NOT_FOUND, Optional.empty(), 0);
    }

    /**
     * The refusal for {@code payment}, which is not open: already assigned or already refunded.
     *
     * @param payment the payment as it was resolved before
     * @return the resolution
     */
    public static UnclaimedResolution alreadyResolved(UnclaimedPayment payment) {
        return new UnclaimedResolution(payment.status() == UnclaimedPayment.Status.ASSIGNED
                ? Status.ALREADY_ASSIGNED : Status.ALREADY_REFUNDED, Optional.of(payment), 0);
    }
}
