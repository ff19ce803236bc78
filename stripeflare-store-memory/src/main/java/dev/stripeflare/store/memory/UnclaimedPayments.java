package dev.stripeflare.store.memory;

import dev.stripeflare.UnclaimedPayment;
import java.util.Comparator;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unclaimed payments a store holds, by id. Not thread-safe: the store guards it with its
 * write lock.
 */
final class UnclaimedPayments {
    private static final Comparator<UnclaimedPayment> OLDEST_FIRST =
            Comparator.comparing(UnclaimedPayment::receivedAt).thenComparing(UnclaimedPayment::id);

    private final Map<String, UnclaimedPayment> byId = new HashMap<>();
    // Resolved payments by resolution time, for pruning after the payment retention (ADR 30).
    private final ExpiryQueue resolved = new ExpiryQueue();

    Optional<UnclaimedPayment> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** Whether an open payment names {@code paymentIntentId}: its refunds must wait for it. */
    boolean isOpenFor(String paymentIntentId) {
        return paymentIntentId != null && byId.values().stream().anyMatch(
                p -> p.isOpen() && p.paymentIntentId().filter(paymentIntentId::equals).isPresent());
    }

    /** Adds or replaces the payment with its id. */
    void put(UnclaimedPayment payment) {
        byId.put(payment.id(), payment);
        payment.resolvedAt().ifPresent(at -> resolved.add(payment.id(), at));
    }

    /** Forgets up to {@code batch} payments resolved before {@code before}; open ones are kept. */
    int pruneResolved(Instant before, int batch) {
        int removed = 0;
        for (String id = resolved.pollBefore(before); id != null; id = resolved.pollBefore(before)) {
            byId.remove(id);
            if (++removed == batch) {
                break;
            }
        }
        return removed;
    }

    boolean moreResolvedBefore(Instant before) {
        return resolved.hasBefore(before);
    }

    List<UnclaimedPayment> oldestFirst() {
        return byId.values().stream().sorted(OLDEST_FIRST).toList();
    }
}
