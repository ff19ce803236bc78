package dev.stripeflare.tck;

import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.tck.BankReport.Invariant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bank test's record of holds (ADR 34): which holds each reservation was told it made, which
 * key made which hold, and the cents each capture was told it charged, for {@link BankAudit} to
 * reconcile with the store's holds and ledgers. Thread-safe.
 */
final class BankHolds {

    /** Every hold a reservation was told it made (RESERVED), by id. */
    final Map<Long, HoldState> made = new ConcurrentHashMap<>();
    /** The hold each reservation key made, as "account/key". */
    final Map<String, Long> byKey = new ConcurrentHashMap<>();
    /** Cents the captures of each hold were told they charged. */
    final Map<Long, Long> captured = new ConcurrentHashMap<>();

    void reserved(BankModel model, String key, HoldChange result) {
        if (result.outcome() != HoldOutcome.RESERVED && result.outcome() != HoldOutcome.REPLAYED) {
            return;
        }
        HoldState hold = result.hold();
        if (result.outcome() == HoldOutcome.RESERVED && made.putIfAbsent(hold.holdId(), hold) != null) {
            model.violation(Invariant.HOLDS, "hold " + hold.holdId() + " was made twice");
        }
        if (key != null) {
            Long first = byKey.putIfAbsent(hold.userId() + "/" + key, hold.holdId());
            if (first != null && first != hold.holdId()) {
                model.violation(Invariant.HOLDS, "key " + key + " of account " + hold.userId() + " made holds "
                        + first + " and " + hold.holdId());
            }
        }
    }

    void captured(BankModel model, HoldChange result) {
        if (result.outcome() == HoldOutcome.CAPTURED) {
            captured.merge(result.hold().holdId(), result.chargedCents(), Long::sum);
        } else if (result.outcome() == HoldOutcome.REPLAYED && result.chargedCents() != 0) {
            model.violation(Invariant.HOLDS, "a replayed capture charged: " + result);
        }
        if (result.hold() != null && !result.hold().allowOverdraft()
                && result.hold().capturedCents() > result.hold().amountCents()) {
            model.violation(Invariant.HOLDS, "a capture took more than its hold: " + result);
        }
    }
}
