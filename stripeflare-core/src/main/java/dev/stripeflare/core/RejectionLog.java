package dev.stripeflare.core;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Logs refused webhook deliveries without flooding: at most one WARNING per cause per minute (the
 * wallet's clock), each counting the refusals of that cause since the previous line. The first
 * refusal of a cause is logged at once; the ones within the following minute are only counted,
 * and the first refusal after it logs the count. Causes are told apart, because each has its
 * own fix: a bad signature (a wrong {@code whsec_} secret, or forged requests), a timestamp
 * outside the tolerance with the skew in seconds (a server clock off, or deliveries delayed), a
 * malformed or missing header (not Stripe at all). No background thread: a count is reported
 * when the next refusal of its cause arrives. Thread-safe.
 */
final class RejectionLog {
    private static final System.Logger LOG = System.getLogger(RejectionLog.class.getName());
    static final Duration INTERVAL = Duration.ofMinutes(1);

    /** Why a delivery was refused. */
    enum Cause {
        BAD_SIGNATURE("bad signature: no configured signing secret (whsec_) signed it; check the secret, or"
                + " someone is sending forged requests"),
        OUTSIDE_TOLERANCE("signed timestamp outside the tolerance: check this server's clock, or deliveries"
                + " are being delayed or replayed"),
        MALFORMED("missing or malformed Stripe-Signature header: not a delivery from Stripe");

        private final String description;

        Cause(String description) {
            this.description = description;
        }
    }

    private final Clock clock;
    private final Map<Cause, Tally> tallies = new EnumMap<>(Cause.class);

    RejectionLog(Clock clock) {
        this.clock = clock;
        for (Cause cause : Cause.values()) {
            tallies.put(cause, new Tally());
        }
    }

    /** One refusal; {@code skewSeconds} (signed time minus now) only for {@code OUTSIDE_TOLERANCE}. */
    void rejected(Cause cause, long skewSeconds) {
        String line = tallies.get(cause).count(clock.instant(), skewSeconds);
        if (line != null) {
            LOG.log(Level.WARNING, "Stripe webhooks refused, " + cause.description + ": " + line);
        }
    }

    /** The refusals of one cause since its last line. */
    private static final class Tally {
        private Instant lastLogged;
        private long count;
        private long latestSkew;
        private long largestSkew;

        /** Counts one refusal; the text of the line to log now, or null while within the interval. */
        synchronized String count(Instant now, long skewSeconds) {
            count++;
            latestSkew = skewSeconds;
            if (Math.abs(skewSeconds) > Math.abs(largestSkew)) {
                largestSkew = skewSeconds;
            }
            if (lastLogged != null && now.isBefore(lastLogged.plus(INTERVAL))) {
                return null;
            }
            String line = count + (lastLogged == null ? " refused" : " refused since " + lastLogged)
                    + (latestSkew != 0 || largestSkew != 0 ? " (signed time minus this server's clock: latest "
                            + latestSkew + " s, largest " + largestSkew + " s)" : "")
                    + "; the next line comes after " + INTERVAL.toSeconds() + " s at the earliest";
            lastLogged = now;
            count = 0;
            latestSkew = 0;
            largestSkew = 0;
            return line;
        }
    }
}
