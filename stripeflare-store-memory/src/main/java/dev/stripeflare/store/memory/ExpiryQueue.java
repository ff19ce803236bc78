package dev.stripeflare.store.memory;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Names in the order they were recorded, each with its time, so pruning finds what is due
 * without scanning everything. Times come from the wallet's clock and are nearly ordered; a
 * name recorded slightly out of order waits behind its predecessor, which only keeps it a
 * little longer. Not thread-safe: the store's write lock guards it.
 */
final class ExpiryQueue {

    private record Timed(String name, Instant at) { }

    private final ArrayDeque<Timed> queue = new ArrayDeque<>();

    void add(String name, Instant at) {
        queue.addLast(new Timed(name, at));
    }

    /** Removes and returns the oldest name if it was recorded before {@code before}, else null. */
    String pollBefore(Instant before) {
        Timed head = queue.peekFirst();
        if (head == null || !head.at().isBefore(before)) {
            return null;
        }
        queue.pollFirst();
        return head.name();
    }

    boolean hasBefore(Instant before) {
        Timed head = queue.peekFirst();
        return head != null && head.at().isBefore(before);
    }

    int size() {
        return queue.size();
    }
}
