package dev.stripeflare.core;

import com.stripe.model.Charge;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A charge read from Stripe's API at most once, and only when first asked for (a reversal in the
 * wallet's currency never needs it); {@code null} when there is no charge id. Not thread-safe;
 * one per event.
 */
final class ChargeOnDemand implements Supplier<Charge> {
    private final Optional<String> chargeId;
    private final StripePaymentLookup stripe;
    private Charge charge;

    ChargeOnDemand(Optional<String> chargeId, StripePaymentLookup stripe) {
        this.chargeId = chargeId;
        this.stripe = stripe;
    }

    /** @throws StripeUnavailableException if Stripe's API failed */
    @Override
    public Charge get() {
        if (charge == null && chargeId.isPresent()) {
            charge = stripe.charge(chargeId.get());
        }
        return charge;
    }
}
