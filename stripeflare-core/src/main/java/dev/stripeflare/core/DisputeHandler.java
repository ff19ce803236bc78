package dev.stripeflare.core;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.util.Locale;
import java.util.Optional;

/**
 * Takes a disputed amount back from the account the disputed payment credited, once per dispute
 * ({@code "dispute:" + dispute id}), and gives it back once when the dispute is won
 * ({@code "dispute-won:" + dispute id}).
 *
 * <ul>
 *   <li>{@code charge.dispute.created} and {@code charge.dispute.funds_withdrawn}: a chargeback
 *       is taken back (the balance may go negative; the ledger entry says {@code DISPUTE}; the
 *       store caps all reversals of one payment at what it credited). Both events name the same
 *       dispute, so whichever comes first takes it. An inquiry (status {@code warning_…}) moves
 *       no money and is only acknowledged; if it escalates, Stripe withdraws the funds and sends
 *       {@code charge.dispute.funds_withdrawn}, which takes it then.</li>
 *   <li>{@code charge.dispute.closed}: {@code won} gives back what the dispute took
 *       ({@code DISPUTE_WON}); if it had taken nothing yet, it is cancelled and never will.
 *       Any other closing ({@code lost}, {@code warning_closed}) is acknowledged.</li>
 * </ul>
 * The PaymentIntent is read from the dispute, or, when absent, from its charge through Stripe's
 * API. A dispute in another currency than the wallet's is converted as {@link PaymentReverser}
 * describes, with the charge read from Stripe's API.
 */
final class DisputeHandler {
    static final String WON = "won";
    private static final String INQUIRY_PREFIX = "warning_";

    private final PaymentReverser reverser;
    private final StripePaymentLookup stripe;

    DisputeHandler(PaymentReverser reverser, StripePaymentLookup stripe) {
        this.reverser = reverser;
        this.stripe = stripe;
    }

    /**
     * {@code charge.dispute.created} or {@code charge.dispute.funds_withdrawn}.
     *
     * @throws MalformedEventException    if the dispute lacks an id, status, amount, currency or charge
     * @throws StripeUnavailableException if the charge had to be read and Stripe's API failed
     */
    WebhookResult handle(Dispute dispute) {
        String disputeId = MalformedEventException.require(dispute.getId(), "dispute id");
        String status = MalformedEventException.require(dispute.getStatus(), "dispute status");
        long amount = MalformedEventException.require(dispute.getAmount(), "dispute amount");
        String disputeCurrency = MalformedEventException.require(dispute.getCurrency(), "dispute currency")
                .toLowerCase(Locale.ROOT);
        if (status.startsWith(INQUIRY_PREFIX)) {
            return WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    "dispute inquiry; no money moved (taken only if its funds are withdrawn)");
        }
        if (amount <= 0) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "dispute of nothing");
        }
        ChargeOnDemand charge = new ChargeOnDemand(Optional.ofNullable(dispute.getCharge()), stripe);
        Optional<String> paymentIntent = dispute.getPaymentIntent() != null
                ? Optional.of(dispute.getPaymentIntent())
                : Optional.ofNullable(requireCharge(dispute, charge).getPaymentIntent());
        if (paymentIntent.isEmpty()) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "disputed charge has no PaymentIntent");
        }
        ReversalTally tally = new ReversalTally();
        reverser.reverse(tally, reversalId(disputeId), paymentIntent.get(), amount, disputeCurrency, charge,
                LedgerEntryKind.DISPUTE, "Stripe dispute " + disputeId);
        return tally.result("dispute");
    }

    /**
     * {@code charge.dispute.closed}.
     *
     * @throws MalformedEventException if the dispute lacks an id or status
     */
    WebhookResult closed(Dispute dispute) {
        String disputeId = MalformedEventException.require(dispute.getId(), "dispute id");
        String status = MalformedEventException.require(dispute.getStatus(), "dispute status");
        if (!WON.equals(status)) {
            return WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    "dispute closed, not won; what it took stays taken");
        }
        return reverser.restore("dispute-won:" + disputeId, reversalId(disputeId), LedgerEntryKind.DISPUTE_WON,
                "Stripe dispute " + disputeId + " won", "dispute won");
    }

    static String reversalId(String disputeId) {
        return "dispute:" + disputeId;
    }

    private static Charge requireCharge(Dispute dispute, ChargeOnDemand charge) {
        MalformedEventException.require(dispute.getCharge(), "dispute charge");
        return charge.get();
    }
}
