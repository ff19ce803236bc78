package dev.stripeflare.core;

import com.stripe.model.Dispute;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Takes a disputed amount back ({@code charge.dispute.created}) from the account the disputed
 * payment credited, once per dispute ({@code "dispute:" + dispute id}). The balance may go
 * negative; the ledger entry says {@code DISPUTE}. A dispute won later is not given back
 * automatically ({@code charge.dispute.closed} is not handled). The PaymentIntent is read from
 * the dispute, or, when absent, from its charge through Stripe's API.
 */
final class DisputeHandler {
    private final UserStore store;
    private final StripePaymentLookup stripe;
    private final String currency;
    private final Clock clock;

    DisputeHandler(UserStore store, StripePaymentLookup stripe, String currency, Clock clock) {
        this.store = store;
        this.stripe = stripe;
        this.currency = currency;
        this.clock = clock;
    }

    /**
     * @throws MalformedEventException    if the dispute lacks an id, amount, currency or charge
     * @throws StripeUnavailableException if the charge had to be read and Stripe's API failed
     */
    WebhookResult handle(Dispute dispute) {
        String disputeId = MalformedEventException.require(dispute.getId(), "dispute id");
        long amount = MalformedEventException.require(dispute.getAmount(), "dispute amount");
        String disputeCurrency = MalformedEventException.require(dispute.getCurrency(), "dispute currency")
                .toLowerCase(Locale.ROOT);
        if (amount <= 0) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "dispute of nothing");
        }
        Optional<String> paymentIntent = dispute.getPaymentIntent() != null
                ? Optional.of(dispute.getPaymentIntent())
                : stripe.paymentIntentOf(MalformedEventException.require(dispute.getCharge(), "dispute charge"));
        if (paymentIntent.isEmpty()) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "disputed charge has no PaymentIntent");
        }
        String operationId = "dispute:" + disputeId;
        ReversalTally tally = new ReversalTally();
        if (!currency.equals(disputeCurrency)) {
            tally.mismatch(store.recordSettled(operationId, "dispute in " + disputeCurrency, clock.instant()));
        } else {
            tally.add(store.reverse(new PaymentReversal(operationId, paymentIntent.get(), amount,
                    LedgerEntryKind.DISPUTE, "Stripe dispute " + disputeId, clock.instant())));
        }
        return tally.result("dispute");
    }
}
