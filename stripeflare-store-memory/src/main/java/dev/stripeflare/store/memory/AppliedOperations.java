package dev.stripeflare.store.memory;

import dev.stripeflare.spi.PaymentReversal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operation ids a store has applied, what each payment credited and had taken back, and
 * reversals waiting for their payment. One namespace for credit, reversal, restoration and
 * settlement ids. Not thread-safe: the store guards it with its write lock.
 */
final class AppliedOperations {

    /** What an operation id was recorded as. */
    enum Kind { CREDIT, REVERSAL, DEFERRED, CANCELLED, RESTORATION, SETTLED }

    /**
     * An applied (or deferred, cancelled, settled) operation id.
     *
     * @param userId     the account it moved money on, when there is one
     * @param movedCents what a reversal took (0 for the other kinds)
     * @param paymentReference the payment a reversal reversed, or null
     */
    record Applied(Kind kind, OptionalLong userId, long movedCents, String paymentReference) { }

    /** What one payment reference credited, to which account, and how much was taken back. */
    static final class Payment {
        final long userId;
        long creditedCents;
        long reversedCents;

        Payment(long userId) {
            this.userId = userId;
        }

        /** What reversals may still take. */
        long remainingCents() {
            return Math.max(0, creditedCents - reversedCents);
        }
    }

    private final Map<String, Applied> byOperationId = new HashMap<>();
    private final Map<String, Payment> payments = new HashMap<>();
    private final Map<String, List<PaymentReversal>> deferredByPaymentReference = new HashMap<>();
    private final Set<String> restoredReversals = new HashSet<>();
    // When each id or payment was recorded, oldest first, for pruning (ADR 30): credits,
    // settlements, restorations, cancellations and deferred reversals expire with the operation
    // retention; applied reversals (what a restoration gives back) and payments with the longer
    // payment retention.
    private final ExpiryQueue shortLived = new ExpiryQueue();
    private final ExpiryQueue reversalsQueue = new ExpiryQueue();
    private final ExpiryQueue paymentsQueue = new ExpiryQueue();
    // Deferred reversals past their retention kept because an open unclaimed payment may still
    // be assigned and must then take them (issue 11 review).
    private final List<String> parkedDeferred = new ArrayList<>();

    Optional<Applied> find(String operationId) {
        return Optional.ofNullable(byOperationId.get(operationId));
    }

    /** The payment credited under {@code paymentReference}, or null. */
    Payment payment(String paymentReference) {
        return paymentReference == null ? null : payments.get(paymentReference);
    }

    /** Reversals waiting for a credit of {@code paymentReference}, oldest first. */
    List<PaymentReversal> deferredFor(String paymentReference) {
        if (paymentReference == null) {
            return List.of();
        }
        return List.copyOf(deferredByPaymentReference.getOrDefault(paymentReference, List.of()));
    }

    /**
     * Records the credit, and the deferred reversals the caller just applied with the cents
     * each took ({@code taken[i]} for {@code appliedDeferred.get(i)}).
     */
    void recordCredit(String operationId, String paymentReference, long amountCents, long userId,
                      List<PaymentReversal> appliedDeferred, long[] taken, Instant at) {
        byOperationId.put(operationId, new Applied(Kind.CREDIT, OptionalLong.of(userId), 0, paymentReference));
        shortLived.add(operationId, at);
        if (paymentReference == null) {
            return;
        }
        Payment payment = payments.computeIfAbsent(paymentReference, r -> {
            paymentsQueue.add(r, at);
            return new Payment(userId);
        });
        payment.creditedCents += amountCents;
        deferredByPaymentReference.remove(paymentReference);
        for (int i = 0; i < appliedDeferred.size(); i++) {
            PaymentReversal reversal = appliedDeferred.get(i);
            payment.reversedCents += taken[i];
            byOperationId.put(reversal.operationId(), new Applied(Kind.REVERSAL,
                    OptionalLong.of(payment.userId), taken[i], paymentReference));
            reversalsQueue.add(reversal.operationId(), at);
        }
    }

    void recordReversal(PaymentReversal reversal, OptionalLong userId, long takenCents) {
        byOperationId.put(reversal.operationId(), new Applied(Kind.REVERSAL, userId, takenCents,
                reversal.paymentReference()));
        reversalsQueue.add(reversal.operationId(), reversal.at());
        Payment payment = payments.get(reversal.paymentReference());
        if (payment != null) {
            payment.reversedCents += takenCents;
        }
    }

    void defer(PaymentReversal reversal) {
        byOperationId.put(reversal.operationId(), new Applied(Kind.DEFERRED, OptionalLong.empty(), 0,
                reversal.paymentReference()));
        shortLived.add(reversal.operationId(), reversal.at());
        deferredByPaymentReference.computeIfAbsent(reversal.paymentReference(), r -> new ArrayList<>())
                .add(reversal);
    }

    /** Whether the reversal {@code reversalOperationId} was restored (or cancelled) before. */
    boolean wasRestored(String reversalOperationId) {
        return restoredReversals.contains(reversalOperationId);
    }

    /**
     * Cancels a reversal that took nothing yet: a deferred one leaves its queue, an unknown one
     * is recorded so that it never applies.
     */
    void cancel(String restorationId, String reversalOperationId, Instant at) {
        Applied prior = byOperationId.get(reversalOperationId);
        if (prior == null) {
            shortLived.add(reversalOperationId, at);
        }
        if (prior != null && prior.kind() == Kind.DEFERRED) {
            List<PaymentReversal> queue = deferredByPaymentReference.get(prior.paymentReference());
            if (queue != null) {
                queue.removeIf(r -> r.operationId().equals(reversalOperationId));
                if (queue.isEmpty()) {
                    deferredByPaymentReference.remove(prior.paymentReference());
                }
            }
        }
        byOperationId.put(reversalOperationId, new Applied(Kind.CANCELLED, OptionalLong.empty(), 0, null));
        recordRestoration(restorationId, reversalOperationId, OptionalLong.empty(), at);
    }

    /** Records a restoration, and gives the reversal's cents back to its payment's allowance. */
    void recordRestoration(String restorationId, String reversalOperationId, OptionalLong userId, Instant at) {
        Applied reversal = byOperationId.get(reversalOperationId);
        if (reversal != null && reversal.kind() == Kind.REVERSAL) {
            Payment payment = payments.get(reversal.paymentReference());
            if (payment != null) {
                payment.reversedCents -= reversal.movedCents();
            }
        }
        restoredReversals.add(reversalOperationId);
        byOperationId.put(restorationId, new Applied(Kind.RESTORATION, userId, 0, null));
        shortLived.add(restorationId, at);
    }

    /** Records a settlement; false if the id was already recorded. */
    boolean recordSettled(String operationId, Instant at) {
        if (byOperationId.putIfAbsent(operationId, new Applied(Kind.SETTLED, OptionalLong.empty(), 0, null)) != null) {
            return false;
        }
        shortLived.add(operationId, at);
        return true;
    }

    /**
     * Forgets up to {@code batch} credit, settlement, restoration and cancellation ids recorded
     * before {@code before}, and drops deferred reversals that waited since before it, adding
     * their ids to {@code expiredDeferred}. Returns the ids forgotten (deferred ones included).
     * A deferred reversal whose payment reference {@code stillClaimable} accepts (an open
     * unclaimed payment names it) is parked instead: it stays until that payment is resolved,
     * and is looked at again by every later call.
     */
    int pruneOperations(Instant before, int batch, List<String> expiredDeferred, Predicate<String> stillClaimable) {
        int removed = 0;
        List<String> parkedBefore = new ArrayList<>(parkedDeferred);
        parkedDeferred.clear();
        for (String id : parkedBefore) {
            Applied applied = byOperationId.get(id);
            if (applied == null || applied.kind() != Kind.DEFERRED) {
                continue; // applied with its payment's assignment since
            }
            if (removed >= batch || stillClaimable.test(applied.paymentReference())) {
                parkedDeferred.add(id);
            } else {
                dropDeferred(id, applied, expiredDeferred);
                removed++;
            }
        }
        while (removed < batch) {
            String id = shortLived.pollBefore(before);
            if (id == null) {
                break;
            }
            Applied applied = byOperationId.get(id);
            if (applied == null || applied.kind() == Kind.REVERSAL) {
                continue; // gone already, or applied since: kept with the reversals
            }
            if (applied.kind() == Kind.DEFERRED && stillClaimable.test(applied.paymentReference())) {
                parkedDeferred.add(id);
                continue;
            }
            if (applied.kind() == Kind.DEFERRED) {
                dropDeferred(id, applied, expiredDeferred);
            } else {
                byOperationId.remove(id);
                restoredReversals.remove(id);
            }
            removed++;
        }
        return removed;
    }

    private void dropDeferred(String id, Applied applied, List<String> expiredDeferred) {
        List<PaymentReversal> queue = deferredByPaymentReference.get(applied.paymentReference());
        if (queue != null) {
            queue.removeIf(r -> r.operationId().equals(id));
            if (queue.isEmpty()) {
                deferredByPaymentReference.remove(applied.paymentReference());
            }
        }
        expiredDeferred.add(id);
        byOperationId.remove(id);
        restoredReversals.remove(id);
    }

    /** Forgets up to {@code batch} applied reversals recorded before {@code before}. */
    int pruneReversals(Instant before, int batch) {
        int removed = 0;
        while (removed < batch) {
            String id = reversalsQueue.pollBefore(before);
            if (id == null) {
                break;
            }
            if (byOperationId.remove(id) != null) {
                restoredReversals.remove(id);
                removed++;
            }
        }
        return removed;
    }

    /** Forgets up to {@code batch} payments first credited before {@code before}. */
    int prunePayments(Instant before, int batch) {
        int removed = 0;
        while (removed < batch) {
            String reference = paymentsQueue.pollBefore(before);
            if (reference == null) {
                break;
            }
            if (payments.remove(reference) != null) {
                removed++;
            }
        }
        return removed;
    }

    /** Whether any kind still has something recorded before its cut-off. */
    boolean moreDue(Instant operationsBefore, Instant paymentsBefore) {
        return shortLived.hasBefore(operationsBefore) || reversalsQueue.hasBefore(paymentsBefore)
                || paymentsQueue.hasBefore(paymentsBefore);
    }
}
