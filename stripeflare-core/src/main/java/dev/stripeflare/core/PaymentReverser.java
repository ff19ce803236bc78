package dev.stripeflare.core;

import com.stripe.model.Charge;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.event.RestoredEvent;
import dev.stripeflare.event.ReversedEvent;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
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
 *
 * <p>What an operator must hear about is logged at WARNING (ADR 31): a reversal deferred (its
 * payment is not credited here), capped (the payment had less left than it asked), finding its
 * account deleted, or in a currency its charge did not take. Every reversal that moved money or
 * was deferred, and every restoration that gave money back, is told to the listeners after the
 * store committed it.
 */
final class PaymentReverser {
    private static final System.Logger LOG = System.getLogger(PaymentReverser.class.getName());

    private final UserStore store;
    private final String currency;
    private final Clock clock;
    private final WalletEvents events;

    PaymentReverser(UserStore store, String currency, Clock clock, WalletEvents events) {
        this.store = store;
        this.currency = currency;
        this.clock = clock;
        this.events = events;
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
            Instant now = clock.instant();
            ReversalResult result = store.reverse(new PaymentReversal(operationId, paymentIntent, amount, 0, kind,
                    memo, now));
            tally.add(result);
            reported(result, operationId, paymentIntent, amount, true, kind, now);
            return;
        }
        OptionalLong paymentTotal = chargedIn(charge.get(), reversalCurrency);
        if (paymentTotal.isEmpty()) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " in " + reversalCurrency
                    + ", a currency its charge did not take";
            boolean recorded = store.recordSettled(operationId, reason, clock.instant());
            tally.mismatch(recorded);
            if (recorded) {
                LOG.log(Level.WARNING, "Stripe {0} of payment {1}: {2}; recorded, no balance changed: adjust by hand",
                        operationId, paymentIntent, reason);
            }
            return;
        }
        // A refund or dispute never exceeds its charge; clamping keeps a bad amount from
        // overflowing the store's conversion (the store caps at what was credited anyway).
        long clamped = Math.min(amount, paymentTotal.getAsLong());
        Instant now = clock.instant();
        ReversalResult result = store.reverse(new PaymentReversal(operationId, paymentIntent, clamped,
                paymentTotal.getAsLong(), kind, memo, now));
        tally.add(result);
        reported(result, operationId, paymentIntent, amount, false, kind, now);
    }

    /**
     * Logs what an operator must hear of a committed reversal and tells the listeners.
     * {@code inWalletCurrency}: whether {@code requested} is in cents of the wallet's currency
     * (only then is a capped reversal recognisable here).
     */
    private void reported(ReversalResult result, String operationId, String paymentIntent, long requested,
                          boolean inWalletCurrency, LedgerEntryKind kind, Instant at) {
        switch (result.status()) {
            case DEFERRED -> LOG.log(Level.WARNING, "Stripe {0} of payment {1} arrived before that payment was"
                    + " credited here; deferred: it is taken when the payment is credited (or assigned, if it is an"
                    + " unclaimed payment), never if it never is", operationId, paymentIntent);
            case APPLIED -> {
                if (result.userId().isEmpty()) {
                    LOG.log(Level.WARNING, "Stripe {0} of payment {1}: the account it credited was deleted; nothing"
                            + " taken", operationId, paymentIntent);
                } else if (inWalletCurrency && result.movedCents() < requested) {
                    LOG.log(Level.WARNING, "Stripe {0} of payment {1} asked for {2} but took {3}: capped at what is"
                            + " left of the payment", operationId, paymentIntent, requested, result.movedCents());
                }
            }
            case DUPLICATE, CANCELLED -> {
                return;
            }
        }
        if (events.active()) {
            ReversedEvent event = new ReversedEvent(result.userId(), result.movedCents(), requested,
                    result.status() == ReversalResult.Status.DEFERRED, kind, operationId, paymentIntent, at);
            events.deliver("reversed", listener -> listener.onReversed(event));
        }
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
        Instant now = clock.instant();
        ReversalResult result = store.restore(new PaymentRestoration(operationId, reversalOperationId, kind, memo,
                now));
        if (events.active() && result.status() == ReversalResult.Status.APPLIED && result.movedCents() > 0
                && result.userId().isPresent()) {
            RestoredEvent event = new RestoredEvent(result.userId().getAsLong(), result.movedCents(),
                    result.balanceCents(), kind, operationId, now);
            events.deliver("restored", listener -> listener.onRestored(event));
        }
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
