package dev.stripeflare.core;

import com.stripe.model.Dispute;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
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
    private final PaymentReverser reverser;
    private final StripePaymentLookup stripe;

    DisputeHandler(PaymentReverser reverser, StripePaymentLookup stripe) {
        this.reverser = reverser;
        this.stripe = stripe;
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
        ReversalTally tally = new ReversalTally();
        reverser.reverse(tally, "dispute:" + disputeId, paymentIntent.get(), amount, disputeCurrency,
                LedgerEntryKind.DISPUTE, "Stripe dispute " + disputeId);
        return tally.result("dispute");
    }
}
