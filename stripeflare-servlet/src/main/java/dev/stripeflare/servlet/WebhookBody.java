package dev.stripeflare.servlet;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A webhook body as it arrives, with its limits: at most {@code maxBytes}, complete within
 * {@code timeoutMillis}, and, after its first second, at least {@code minBytesPerSecond} on
 * average. Times are {@link System#nanoTime()} values passed in, so the rules are testable.
 * Not thread-safe; one reader at a time.
 */
final class WebhookBody {
    /** Why a body was refused. */
    enum Problem { TOO_LARGE, TOO_SLOW }

    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ByteArrayOutputStream bytes;
    private final int maxBytes;
    private final long timeoutNanos;
    private final int minBytesPerSecond;
    private final long startedNanos;

    WebhookBody(int maxBytes, long timeoutMillis, int minBytesPerSecond, long startedNanos) {
        this.bytes = new ByteArrayOutputStream(Math.min(maxBytes, 16 * 1024));
        this.maxBytes = maxBytes;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.minBytesPerSecond = minBytesPerSecond;
        this.startedNanos = startedNanos;
    }

    /** Adds {@code length} bytes received at {@code nowNanos}; the problem if the body must be refused, else null. */
    Problem append(byte[] chunk, int length, long nowNanos) {
        if (bytes.size() + (long) length > maxBytes) {
            return Problem.TOO_LARGE;
        }
        bytes.write(chunk, 0, length);
        return tooSlow(nowNanos) ? Problem.TOO_SLOW : null;
    }

    /** Whether, at {@code nowNanos}, the deadline has passed or the average rate is below the minimum. */
    boolean tooSlow(long nowNanos) {
        long elapsed = nowNanos - startedNanos;
        if (elapsed > timeoutNanos) {
            return true;
        }
        if (elapsed <= GRACE_NANOS) {
            return false;
        }
        double seconds = elapsed / 1e9;
        return bytes.size() < minBytesPerSecond * (seconds - 1);
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }
}
