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
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Takes refunds back ({@code charge.refunded}, {@code charge.refund.updated}) from the account
 * the charge's PaymentIntent credited, once per refund, and gives back a refund that failed
 * after it was taken ({@code charge.refund.updated} with status {@code failed} or
 * {@code canceled}), once.
 *
 * <p>Each refund is one reversal under {@code "refund:" + refund id}, so the refunded delta is
 * taken exactly once however often, and in whatever order, the events arrive: the second refund
 * of a charge arrives with both refunds listed, and the first is a duplicate. The refunds come
 * from the charge's {@code refunds} list when the event carries it complete; when it is absent
 * (API versions since 2022-11-15 no longer include it) or has more pages, they are listed from
 * Stripe's API ({@code GET /v1/refunds?charge=}). Ids, not {@code amount_refunded} arithmetic:
 * the cumulative amount cannot tell a redelivery from a new refund of the same size. A
 * {@code charge.refund.updated} of a refund that moved money is applied under the same id, so
 * whichever of the two events arrives first takes it.
 *
 * <p>A refund that {@code failed} or was {@code canceled} moved no money and is not taken; when
 * it had been taken (while pending), {@code charge.refund.updated} gives it back as
 * {@code REFUND_FAILED} under {@code "refund-failed:" + refund id}. A failure that arrives before
 * the refund is taken cancels it, so it never is. The store caps all reversals of one payment at
 * what it credited. A refund in another currency than the wallet's is converted as
 * {@link PaymentReverser} describes. A refund that arrives before its payment's credit is
 * deferred by the store and applied with the credit.
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
     * {@code charge.refunded}: every refund of the charge that moved money.
     *
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
        for (Object item : refundsOf(charge, chargeId)) {
            // Gson fills the list through stripe-java's polymorphic adapter: an item whose
            // "object" is not "refund" is another class despite the List<Refund> type.
            if (!(item instanceof Refund refund)) {
                throw new MalformedEventException("charge " + chargeId + " lists a refund that is not a refund");
            }
            MalformedEventException.require(refund.getId(), "refund id");
            long amount = MalformedEventException.require(refund.getAmount(), "refund amount");
            MalformedEventException.require(refund.getCurrency() != null ? refund.getCurrency() : charge.getCurrency(),
                    "refund currency");
            // Without a status it cannot be told whether the refund moved money.
            String status = MalformedEventException.require(refund.getStatus(), "refund status");
            if (!NO_MONEY_MOVED.contains(status) && amount > 0) {
                moved.add(refund);
            }
        }
        ReversalTally tally = new ReversalTally();
        for (Refund refund : moved) {
            String refundCurrency = (refund.getCurrency() != null ? refund.getCurrency() : charge.getCurrency())
                    .toLowerCase(Locale.ROOT);
            reverser.reverse(tally, reversalId(refund.getId()), paymentIntent, refund.getAmount(), refundCurrency,
                    () -> charge, LedgerEntryKind.REFUND, "Stripe refund " + refund.getId());
        }
        return tally.result("refund");
    }

    /**
     * {@code charge.refund.updated}: a failed or canceled refund is given back (or cancelled
     * before it is taken); any other refund is taken as {@link #handle} would.
     *
     * @throws MalformedEventException    if the refund lacks an id, status, amount or currency
     * @throws StripeUnavailableException if its charge had to be read and Stripe's API failed
     */
    WebhookResult updated(Refund refund) {
        String refundId = MalformedEventException.require(refund.getId(), "refund id");
        String status = MalformedEventException.require(refund.getStatus(), "refund status");
        if (NO_MONEY_MOVED.contains(status)) {
            return reverser.restore("refund-failed:" + refundId, reversalId(refundId), LedgerEntryKind.REFUND_FAILED,
                    "Stripe refund " + refundId + " " + status, "refund " + status);
        }
        long amount = MalformedEventException.require(refund.getAmount(), "refund amount");
        String refundCurrency = MalformedEventException.require(refund.getCurrency(), "refund currency")
                .toLowerCase(Locale.ROOT);
        if (amount <= 0) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "refund of nothing");
        }
        Optional<String> chargeId = Optional.ofNullable(refund.getCharge());
        Supplier<Charge> charge = new ChargeOnDemand(chargeId, stripe);
        Optional<String> paymentIntent = refund.getPaymentIntent() != null
                ? Optional.of(refund.getPaymentIntent())
                : chargeId.map(id -> charge.get().getPaymentIntent());
        if (paymentIntent.isEmpty()) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "refund of no PaymentIntent; not a checkout payment");
        }
        ReversalTally tally = new ReversalTally();
        reverser.reverse(tally, reversalId(refundId), paymentIntent.get(), amount, refundCurrency, charge,
                LedgerEntryKind.REFUND, "Stripe refund " + refundId);
        return tally.result("refund");
    }

    static String reversalId(String refundId) {
        return "refund:" + refundId;
    }

    private List<Refund> refundsOf(Charge charge, String chargeId) {
        RefundCollection listed = charge.getRefunds();
        if (listed != null && listed.getData() != null && !Boolean.TRUE.equals(listed.getHasMore())) {
            return listed.getData();
        }
        return stripe.refundsOf(chargeId);
    }
}
