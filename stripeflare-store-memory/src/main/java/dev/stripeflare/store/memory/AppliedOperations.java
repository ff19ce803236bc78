package dev.stripeflare.store.memory;

import dev.stripeflare.spi.PaymentReversal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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
                      List<PaymentReversal> appliedDeferred, long[] taken) {
        byOperationId.put(operationId, new Applied(Kind.CREDIT, OptionalLong.of(userId), 0, paymentReference));
        if (paymentReference == null) {
            return;
        }
        Payment payment = payments.computeIfAbsent(paymentReference, r -> new Payment(userId));
        payment.creditedCents += amountCents;
        deferredByPaymentReference.remove(paymentReference);
        for (int i = 0; i < appliedDeferred.size(); i++) {
            PaymentReversal reversal = appliedDeferred.get(i);
            payment.reversedCents += taken[i];
            byOperationId.put(reversal.operationId(), new Applied(Kind.REVERSAL,
                    OptionalLong.of(payment.userId), taken[i], paymentReference));
        }
    }

    void recordReversal(PaymentReversal reversal, OptionalLong userId, long takenCents) {
        byOperationId.put(reversal.operationId(), new Applied(Kind.REVERSAL, userId, takenCents,
                reversal.paymentReference()));
        Payment payment = payments.get(reversal.paymentReference());
        if (payment != null) {
            payment.reversedCents += takenCents;
        }
    }

    void defer(PaymentReversal reversal) {
        byOperationId.put(reversal.operationId(), new Applied(Kind.DEFERRED, OptionalLong.empty(), 0,
                reversal.paymentReference()));
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
    void cancel(String restorationId, String reversalOperationId) {
        Applied prior = byOperationId.get(reversalOperationId);
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
        recordRestoration(restorationId, reversalOperationId, OptionalLong.empty());
    }

    /** Records a restoration, and gives the reversal's cents back to its payment's allowance. */
    void recordRestoration(String restorationId, String reversalOperationId, OptionalLong userId) {
        Applied reversal = byOperationId.get(reversalOperationId);
        if (reversal != null && reversal.kind() == Kind.REVERSAL) {
            Payment payment = payments.get(reversal.paymentReference());
            if (payment != null) {
                payment.reversedCents -= reversal.movedCents();
            }
        }
        restoredReversals.add(reversalOperationId);
        byOperationId.put(restorationId, new Applied(Kind.RESTORATION, userId, 0, null));
    }

    /** Records a settlement; false if the id was already recorded. */
    boolean recordSettled(String operationId) {
        return byOperationId.putIfAbsent(operationId,
                new Applied(Kind.SETTLED, OptionalLong.empty(), 0, null)) == null;
    }
}
