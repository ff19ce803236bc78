package dev.stripeflare.core;

import com.stripe.model.Charge;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Takes one refund or dispute back from the account its payment credited, or gives back what
 * one took, exactly once per operation id. Counts what happened in the event's
 * {@link ReversalTally}. Thread-safe (stateless but for the tally).
 *
 * <p><b>Amounts.</b> A reversal in the wallet's currency asks for its amount in cents. One in
 * another currency — Adaptive Pricing: refunds and disputes arrive in the customer's
 * (presentment) currency — asks for {@code amount / paymentTotal} of what the payment credited,
 * where {@code paymentTotal} is what the charge took in that same currency (its {@code amount},
 * or its {@code presentment_details.presentment_amount}); the store converts and caps. Only
 * when the charge took nothing known in that currency is the reversal recorded as settled
 * ({@code CURRENCY_MISMATCH}) without touching a balance. Never more than the payment credited
 * is taken: the store caps all reversals of one payment together.
 */
final class PaymentReverser {
    private final UserStore store;
    private final String currency;
    private final Clock clock;

    PaymentReverser(UserStore store, String currency, Clock clock) {
        this.store = store;
        this.currency = currency;
        this.clock = clock;
    }

    /**
     * Reverses {@code amount} (strictly positive) of {@code paymentIntent}.
     *
     * @param reversalCurrency lower-case ISO code of the refund or dispute
     * @param charge           the charge that was paid; asked for only when the currency is not
     *                         the wallet's (it may call Stripe's API)
     * @throws StripeUnavailableException if {@code charge} had to be read and Stripe's API failed
     */
    void reverse(ReversalTally tally, String operationId, String paymentIntent, long amount,
                 String reversalCurrency, Supplier<Charge> charge, LedgerEntryKind kind, String memo) {
        if (currency.equals(reversalCurrency)) {
            tally.add(store.reverse(new PaymentReversal(operationId, paymentIntent, amount, 0, kind, memo,
                    clock.instant())));
            return;
        }
        OptionalLong paymentTotal = chargedIn(charge.get(), reversalCurrency);
        if (paymentTotal.isEmpty()) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " in " + reversalCurrency
                    + ", a currency its charge did not take";
            tally.mismatch(store.recordSettled(operationId, reason, clock.instant()));
            return;
        }
        // A refund or dispute never exceeds its charge; clamping keeps a bad amount from
        // overflowing the store's conversion (the store caps at what was credited anyway).
        long clamped = Math.min(amount, paymentTotal.getAsLong());
        tally.add(store.reverse(new PaymentReversal(operationId, paymentIntent, clamped, paymentTotal.getAsLong(),
                kind, memo, clock.instant())));
    }

    /**
     * What {@code charge} took in {@code currency}: its {@code amount} when that is its currency,
     * else its presentment amount when that is; empty when neither is, or the amount is not
     * positive.
     */
    static OptionalLong chargedIn(Charge charge, String currency) {
        if (charge == null) {
            return OptionalLong.empty();
        }
        if (charge.getAmount() != null && charge.getCurrency() != null
                && currency.equals(charge.getCurrency().toLowerCase(Locale.ROOT)) && charge.getAmount() > 0) {
            return OptionalLong.of(charge.getAmount());
        }
        Charge.PresentmentDetails presented = charge.getPresentmentDetails();
        if (presented != null && presented.getPresentmentAmount() != null && presented.getPresentmentCurrency() != null
                && currency.equals(presented.getPresentmentCurrency().toLowerCase(Locale.ROOT))
                && presented.getPresentmentAmount() > 0) {
            return OptionalLong.of(presented.getPresentmentAmount());
        }
        return OptionalLong.empty();
    }

    /**
     * Gives back what the reversal {@code reversalOperationId} took, exactly once per
     * {@code operationId}; a reversal not applied yet is cancelled, so it never applies.
     *
     * @param what names the event in the answer, e.g. "dispute won"
     */
    WebhookResult restore(String operationId, String reversalOperationId, LedgerEntryKind kind, String memo,
                          String what) {
        ReversalResult result = store.restore(new PaymentRestoration(operationId, reversalOperationId, kind, memo,
                clock.instant()));
        return switch (result.status()) {
            case APPLIED -> result.movedCents() > 0
                    ? WebhookResults.settled(WebhookOutcome.RESTORED, what + ": " + result.movedCents()
                            + " given back", result.userId())
                    : WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED, what + ": it had taken nothing",
                            result.userId());
            case CANCELLED, DEFERRED -> WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    what + " before anything was taken; it will never be taken", result.userId());
            case DUPLICATE -> WebhookResults.settled(WebhookOutcome.DUPLICATE, what + " already given back",
                    result.userId());
        };
    }
}
