package dev.stripeflare.core;

import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.ReversalResult;
import java.util.OptionalLong;

/**
 * Counts what the reversals of one event (its refunds, or its dispute) did, and answers with the
 * most telling outcome: anything taken is {@code DEBITED}, else deferred, else a currency
 * mismatch, else applied but capped to nothing ({@code ACKNOWLEDGED}: the payment was already
 * taken back in full), else a duplicate. Not thread-safe; one per event.
 */
final class ReversalTally {
    private int applied;
    private long takenCents;
    private int cappedToNothing;
    private int deferred;
    private int duplicates;
    private int mismatched;
    private OptionalLong userId = OptionalLong.empty();

    void add(ReversalResult result) {
        switch (result.status()) {
            case APPLIED -> {
                if (result.movedCents() > 0) {
                    applied++;
                    takenCents = Math.addExact(takenCents, result.movedCents());
                } else {
                    cappedToNothing++;
                }
            }
            case DEFERRED -> deferred++;
            case DUPLICATE, CANCELLED -> duplicates++;
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
            return WebhookResults.settled(WebhookOutcome.DEBITED, what + " taken back (" + takenCents
                    + " in " + applied + " applied now)", userId);
        }
        if (deferred > 0) {
            return WebhookResults.settled(WebhookOutcome.DEFERRED,
                    what + " recorded; applied when its payment is credited", userId);
        }
        if (mismatched > 0) {
            return WebhookResults.settled(WebhookOutcome.CURRENCY_MISMATCH,
                    what + " in another currency than the wallet's; recorded, balance unchanged", userId);
        }
        if (cappedToNothing > 0) {
            return WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    what + " recorded; nothing was left to take (the payment was already taken back in full,"
                            + " or its account was deleted)", userId);
        }
        if (duplicates > 0) {
            return WebhookResults.settled(WebhookOutcome.DUPLICATE, what + " already applied", userId);
        }
        return WebhookResults.settled(WebhookOutcome.IGNORED, "no " + what + " moved money");
    }
}
