package dev.stripeflare.core;

import dev.stripeflare.event.LowBalanceEvent;
import java.time.Instant;
import java.util.Arrays;

/**
 * The configured low-balance thresholds, and the rule that decides a crossing from one change's
 * atomic result: a change from {@code before} to {@code after} crosses threshold {@code t} when
 * {@code before > t >= after}. The store applies changes to one account one after another, so of
 * many concurrent charges exactly one has a {@code before}/{@code after} pair around {@code t}:
 * each crossing raises one event, with no state kept here. Checking allocates nothing, so a
 * charge that crosses nothing pays a few comparisons. Thread-safe (immutable).
 */
final class LowBalanceAlerts {
    private static final LowBalanceAlerts NONE = new LowBalanceAlerts(new long[0], WalletEvents.none());

    private final long[] thresholds;
    private final WalletEvents events;

    private LowBalanceAlerts(long[] thresholds, WalletEvents events) {
        this.thresholds = thresholds;
        this.events = events;
    }

    /** Alerts for {@code thresholds} (any order, repeats ignored) told to {@code events}' listeners. */
    static LowBalanceAlerts of(long[] thresholds, WalletEvents events) {
        if (thresholds.length == 0 || !events.active()) {
            return NONE;
        }
        return new LowBalanceAlerts(Arrays.stream(thresholds).distinct().sorted().toArray(), events);
    }

    /** No thresholds: {@link #crossed} is always false. */
    static LowBalanceAlerts none() {
        return NONE;
    }

    /** Whether a change from {@code before} to {@code after} crossed any threshold downward. */
    boolean crossed(long before, long after) {
        if (after >= before) {
            return false;
        }
        for (long threshold : thresholds) {
            if (before > threshold && threshold >= after) {
                return true;
            }
        }
        return false;
    }

    /** Raises one event per threshold the change crossed; call after the change committed. */
    void raise(long userId, long before, long after, Instant at) {
        for (long threshold : thresholds) {
            if (before > threshold && threshold >= after) {
                LowBalanceEvent event = new LowBalanceEvent(userId, threshold, before, after, at);
                events.deliver("low balance", listener -> listener.onLowBalance(event));
            }
        }
    }
}
