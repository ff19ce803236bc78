package dev.stripeflare.core;

import com.stripe.model.Charge;
import com.stripe.model.Refund;
import com.stripe.model.RefundCollection;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Takes refunds back ({@code charge.refunded}) from the account the charge's PaymentIntent
 * credited, once per refund.
 *
 * <p>Each refund is one reversal under {@code "refund:" + refund id}, so the refunded delta is
 * taken exactly once however often, and in whatever order, the events arrive: the second refund
 * of a charge arrives with both refunds listed, and the first is a duplicate. The refunds come
 * from the charge's {@code refunds} list when the event carries it complete; when it is absent
 * (API versions since 2022-11-15 no longer include it) or has more pages, they are listed from
 * Stripe's API ({@code GET /v1/refunds?charge=}). Ids, not {@code amount_refunded} arithmetic:
 * the cumulative amount cannot tell a redelivery from a new refund of the same size.
 *
 * <p>A refund that {@code failed} or was {@code canceled} moved no money and is skipped; a refund
 * that fails later is not given back ({@code charge.refund.updated} is not handled). A refund in
 * another currency than the wallet's is recorded as settled and changes no balance. A refund
 * that arrives before its payment's credit is deferred by the store and applied with the credit.
 */
final class RefundHandler {
    private static final Set<String> NO_MONEY_MOVED = Set.of("failed", "canceled");

    private final PaymentReverser reverser;
    private final StripePaymentLookup stripe;

    RefundHandler(PaymentReverser reverser, StripePaymentLookup stripe) {
        this.reverser = reverser;
        this.stripe = stripe;
    }

    /**
     * @throws MalformedEventException    if the charge or a refund lacks an id or amount
     * @throws StripeUnavailableException if the refunds had to be listed and Stripe's API failed
     */
    WebhookResult handle(Charge charge) {
        String chargeId = MalformedEventException.require(charge.getId(), "charge id");
        String paymentIntent = charge.getPaymentIntent();
        if (paymentIntent == null) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "charge has no PaymentIntent; not a checkout payment");
        }
        // Validate every refund before applying any, so a refused event changed nothing.
        List<Refund> moved = new ArrayList<>();
        for (Refund refund : refundsOf(charge, chargeId)) {
            MalformedEventException.require(refund.getId(), "refund id");
            long amount = MalformedEventException.require(refund.getAmount(), "refund amount");
            MalformedEventException.require(refund.getCurrency() != null ? refund.getCurrency() : charge.getCurrency(),
                    "refund currency");
            if (!NO_MONEY_MOVED.contains(refund.getStatus()) && amount > 0) {
                moved.add(refund);
            }
        }
        ReversalTally tally = new ReversalTally();
        for (Refund refund : moved) {
            String refundCurrency = (refund.getCurrency() != null ? refund.getCurrency() : charge.getCurrency())
                    .toLowerCase(Locale.ROOT);
            reverser.reverse(tally, "refund:" + refund.getId(), paymentIntent, refund.getAmount(), refundCurrency,
                    LedgerEntryKind.REFUND, "Stripe refund " + refund.getId());
        }
        return tally.result("refund");
    }

    private List<Refund> refundsOf(Charge charge, String chargeId) {
        RefundCollection listed = charge.getRefunds();
        if (listed != null && listed.getData() != null && !Boolean.TRUE.equals(listed.getHasMore())) {
            return listed.getData();
        }
        return stripe.refundsOf(chargeId);
    }
}
