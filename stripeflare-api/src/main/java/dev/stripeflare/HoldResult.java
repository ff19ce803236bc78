package dev.stripeflare;

import java.util.Objects;
import java.util.Optional;

/**
 * What a capture or release did ({@link Wallet#capture}, {@link Wallet#captureSome},
 * {@link Wallet#release}).
 *
 * @param outcome      what happened; see {@link HoldOutcome}
 * @param hold         the hold after the call; empty for {@link HoldOutcome#NOT_FOUND}
 * @param chargedCents what this call took from the balance (0 for a replay or refusal)
 * @param balanceCents the account's balance after the call; 0 without an account
 */
public record HoldResult(HoldOutcome outcome, Optional<HoldState> hold, long chargedCents, long balanceCents) {

    /**
     * Checks the components.
     *
     * @param outcome      what happened; never null
     * @param hold         the hold after the call; empty for {@link HoldOutcome#NOT_FOUND}; never null
     * @param chargedCents what this call took from the balance (0 for a replay or refusal)
     * @param balanceCents the account's balance after the call; 0 without an account
     */
    public HoldResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(hold, "hold");
    }

    /**
     * Whether the hold is closed after this call (captured, released or expired).
     *
     * @return true when the hold is no longer active, or there is no such hold; false when it
     *         still reserves money and may be captured or released
     */
    public boolean closed() {
        return hold.map(h -> !h.active()).orElse(true);
    }
}
