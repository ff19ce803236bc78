package dev.stripeflare.core;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserStore;
import java.time.Clock;
import java.util.Locale;

/**
 * Takes one refund or dispute back from the account its payment credited, exactly once per
 * operation id; one in another currency than the wallet's is only recorded as settled. Counts
 * what happened in the event's {@link ReversalTally}. Thread-safe (stateless but for the tally).
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

    /** @param reversalCurrency lower-case ISO code of the refund or dispute */
    void reverse(ReversalTally tally, String operationId, String paymentIntent, long amountCents,
                 String reversalCurrency, LedgerEntryKind kind, String memo) {
        if (!currency.equals(reversalCurrency)) {
            String reason = kind.name().toLowerCase(Locale.ROOT) + " in " + reversalCurrency;
            tally.mismatch(store.recordSettled(operationId, reason, clock.instant()));
        } else {
            tally.add(store.reverse(new PaymentReversal(operationId, paymentIntent, amountCents, kind, memo,
                    clock.instant())));
        }
    }
}
