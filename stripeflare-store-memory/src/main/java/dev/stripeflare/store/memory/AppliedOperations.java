package dev.stripeflare.store.memory;

import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentReversal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operation ids a store has applied, which account each payment credited, and reversals
 * waiting for their payment. One namespace for credit, reversal and settlement ids. Not
 * thread-safe: the store guards it with its write lock.
 */
final class AppliedOperations {

    /** An applied (or deferred, or settled) operation id and the account it moved money on. */
    record Applied(OptionalLong userId) { }

    private final Map<String, Applied> byOperationId = new HashMap<>();
    private final Map<String, Long> creditedUserIdByPaymentReference = new HashMap<>();
    private final Map<String, List<PaymentReversal>> deferredByPaymentReference = new HashMap<>();

    Optional<Applied> find(String operationId) {
        return Optional.ofNullable(byOperationId.get(operationId));
    }

    /** The account the first credit of {@code paymentReference} went to, if any. */
    OptionalLong creditedUserOf(String paymentReference) {
        Long userId = creditedUserIdByPaymentReference.get(paymentReference);
        return userId == null ? OptionalLong.empty() : OptionalLong.of(userId);
    }

    /** Reversals waiting for a credit of {@code paymentReference}, oldest first. */
    List<PaymentReversal> deferredFor(String paymentReference) {
        if (paymentReference == null) {
            return List.of();
        }
        return List.copyOf(deferredByPaymentReference.getOrDefault(paymentReference, List.of()));
    }

    /** Records the credit and applies the deferred reversals the caller just debited. */
    void recordCredit(PaymentCredit credit, List<PaymentReversal> appliedDeferred, long userId) {
        Applied applied = new Applied(OptionalLong.of(userId));
        byOperationId.put(credit.operationId(), applied);
        if (credit.paymentReference() != null) {
            creditedUserIdByPaymentReference.putIfAbsent(credit.paymentReference(), userId);
            deferredByPaymentReference.remove(credit.paymentReference());
        }
        for (PaymentReversal reversal : appliedDeferred) {
            byOperationId.put(reversal.operationId(), applied);
        }
    }

    void recordReversal(PaymentReversal reversal, OptionalLong userId) {
        byOperationId.put(reversal.operationId(), new Applied(userId));
    }

    void defer(PaymentReversal reversal) {
        byOperationId.put(reversal.operationId(), new Applied(OptionalLong.empty()));
        deferredByPaymentReference.computeIfAbsent(reversal.paymentReference(), r -> new ArrayList<>())
                .add(reversal);
    }

    /** Records a settlement; false if the id was already recorded. */
    boolean recordSettled(String operationId) {
        return byOperationId.putIfAbsent(operationId, new Applied(OptionalLong.empty())) == null;
    }
}
