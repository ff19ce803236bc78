package dev.stripeflare.core;

import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.ReversalResult;
import java.util.OptionalLong;

/**
 * Counts what the reversals of one event (its refunds, or its dispute) did, and answers with the
 * most telling outcome: anything applied is {@code DEBITED}, else deferred, else a currency
 * mismatch, else a duplicate. Not thread-safe; one per event.
 */
final class ReversalTally {
    private int applied;
    private int deferred;
    private int duplicates;
    private int mismatched;
    private OptionalLong userId = OptionalLong.empty();

    void add(ReversalResult result) {
        switch (result.status()) {
            case APPLIED -> applied++;
            case DEFERRED -> deferred++;
            case DUPLICATE -> duplicates++;
        }
        if (result.userId().isPresent()) {
            userId = result.userId();
        }
    }

    /** A reversal in another currency, {@code recordedNow} or already recorded before. */
    void mismatch(boolean recordedNow) {
        if (recordedNow) {
            mismatched++;
        } else {
            duplicates++;
        }
    }

    WebhookResult result(String what) {
        if (applied > 0) {
            return WebhookResults.settled(WebhookOutcome.DEBITED, what + " taken back ("
                    + applied + " applied now)", userId);
        }
        if (deferred > 0) {
            return WebhookResults.settled(WebhookOutcome.DEFERRED,
                    what + " recorded; applied when its payment is credited", userId);
        }
        if (mismatched > 0) {
            return WebhookResults.settled(WebhookOutcome.CURRENCY_MISMATCH,
                    what + " in another currency than the wallet's; recorded, balance unchanged", userId);
        }
        if (duplicates > 0) {
            return WebhookResults.settled(WebhookOutcome.DUPLICATE, what + " already applied", userId);
        }
        return WebhookResults.settled(WebhookOutcome.IGNORED, "no " + what + " moved money");
    }
}
