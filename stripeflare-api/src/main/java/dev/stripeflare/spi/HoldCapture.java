package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * A capture as the store applies it ({@link UserStore#capture}): bring the hold's captured total
 * to {@code totalCents}, charging the difference, and close it when {@code close}.
 *
 * @param holdId     the hold
 * @param totalCents the captured total wanted, never negative
 * @param close      whether this is the final capture
 * @param at         the time to record
 */
public record HoldCapture(long holdId, long totalCents, boolean close, Instant at) {

    /**
     * Checks the components.
     *
     * @param holdId     the hold
     * @param totalCents the captured total wanted, never negative (a running total, so a retry
     *                   with the same total is recognised and charges nothing)
     * @param close      whether this is the final capture, closing the hold as {@code CAPTURED}
     *                   and releasing the rest
     * @param at         the time to record, and against which the hold's expiry is checked; never null
     * @throws InvalidAmountException if {@code totalCents < 0}
     */
    public HoldCapture {
        if (totalCents < 0) {
            throw new InvalidAmountException("totalCents must be >= 0, was " + totalCents);
        }
        Objects.requireNonNull(at, "at");
    }
}
