package dev.stripeflare.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link UserStore} says about its own health, for a health endpoint or an alert: whether
 * it can serve calls now, why not, when it last failed, and how much room its storage has.
 *
 * @param status      {@link Status#UP}, {@link Status#DEGRADED} or {@link Status#DOWN}
 * @param detail      one line for an operator (never a token, secret or payload)
 * @param lastFailure when the store last saw its storage fail, if ever since it was opened
 *                    (kept after it recovered)
 * @param dataBytes   how many bytes the store's data takes where the store can tell (an H2
 *                    file's size), else empty
 * @param freeBytes   how many bytes are still free where the data lives (the file system of an
 *                    H2 file), else empty
 */
public record StoreHealth(Status status, String detail, Optional<Instant> lastFailure, OptionalLong dataBytes,
                          OptionalLong freeBytes) {

    /**
     * Creates the record, checking its components.
     *
     * @param status      {@link Status#UP}, {@link Status#DEGRADED} or {@link Status#DOWN}
     * @param detail      one line for an operator (never a token, secret or payload)
     * @param lastFailure when the store last saw its storage fail, if ever since it was opened
     *        (kept after it recovered)
     * @param dataBytes   how many bytes the store's data takes where the store can tell (an H2
     *        file's size), else empty
     * @param freeBytes   how many bytes are still free where the data lives (the file system of an
     *        H2 file), else empty
     */
    public StoreHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(dataBytes, "dataBytes");
        Objects.requireNonNull(freeBytes, "freeBytes");
    }

    /**
     * UP with {@code detail} and nothing else known.
     *
     * @param detail what was checked
     * @return a healthy result
     */
    public static StoreHealth up(String detail) {
        return new StoreHealth(Status.UP, detail, Optional.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * DOWN with {@code detail}, failed last at {@code lastFailure} if known.
     *
     * @param detail      what failed
     * @param lastFailure when a call last failed, if known
     * @return an unhealthy result
     */
    public static StoreHealth down(String detail, Optional<Instant> lastFailure) {
        return new StoreHealth(Status.DOWN, detail, lastFailure, OptionalLong.empty(), OptionalLong.empty());
    }

    /** How a store is doing. */
    public enum Status {
        /** Serving calls. */
        UP,
        /** Serving calls, but close to failing (e.g. its disk is nearly full): alert a person. */
        DEGRADED,
        /** Not serving calls: every call fails with a {@link dev.stripeflare.StoreException}. */
        DOWN
    }
}
