package dev.stripeflare.store.postgres;

import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UserRecord;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reversals and restorations, each one transaction. A reversal claims its operation id, then
 * locks its payment's row (the row its credit locks too), then the account; a restoration
 * claims its id (and, through a unique column, the reversal it restores), then locks the
 * reversal's payment row and the reversal's own record. The cap — all reversals of a payment
 * never take more than it credited, less what restorations gave back — is kept in the locked
 * payment row. Stateless apart from its SQL.
 */
final class Reversals {

    private final Transactions tx;
    private final Accounts accounts;
    private final Balances balances;
    private final Operations operations;
    private final PaymentRows payments;

    Reversals(Transactions tx, Accounts accounts, Balances balances, Operations operations, PaymentRows payments) {
        this.tx = tx;
        this.accounts = accounts;
        this.balances = balances;
        this.operations = operations;
        this.payments = payments;
    }

    ReversalResult reverse(PaymentReversal reversal) {
        return tx.inTransaction("reversing " + reversal.operationId(), false, h -> {
            if (!operations.claim(h, reversal.operationId(), Operations.Kind.DEFERRED,
                    reversal.paymentReference(), null, null, reversal.at())) {
                Operations.Applied prior = operations.find(h, reversal.operationId())
                        .orElseThrow(() -> new Transactions.Conflict("operation id vanished"));
                long balance = prior.userId().isPresent() ? accounts.balanceOrZero(h, prior.userId().getAsLong()) : 0;
                h.rollback();
                return new ReversalResult(ReversalResult.Status.DUPLICATE, prior.userId(), balance, 0);
            }
            PaymentRows.Payment payment = payments.lock(h, reversal.paymentReference(), reversal.at());
            if (!payment.credited()) {
                payments.defer(h, reversal);
                return new ReversalResult(ReversalResult.Status.DEFERRED, OptionalLong.empty(), 0, 0);
            }
            Optional<UserRecord> account = accounts.lock(h, payment.userId());
            if (account.isEmpty()) {
                // The account was deleted: there is nothing left to take the money from.
                operations.update(h, reversal.operationId(), Operations.Kind.REVERSAL, OptionalLong.empty(), 0);
                return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.empty(), 0, 0);
            }
            long userId = payment.userId();
            long take = Math.min(reversal.requestedCents(payment.creditedCents()), payment.remainingCents());
            long balance = account.get().balanceCents();
            if (take > 0) {
                balance = balances.move(h, userId, -take, reversal.kind(), reversal.operationId(),
                        reversal.memo(), reversal.at()).orElseThrow();
                payments.update(h, new PaymentRows.Payment(payment.reference(), userId, payment.creditedCents(),
                        payment.reversedCents() + take));
            }
            operations.update(h, reversal.operationId(), Operations.Kind.REVERSAL, OptionalLong.of(userId), take);
            return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(userId), balance, take);
        });
    }

    ReversalResult restore(PaymentRestoration restoration) {
        return tx.inTransaction("restoring " + restoration.operationId(), true, h -> {
            if (!operations.claim(h, restoration.operationId(), Operations.Kind.RESTORATION, null,
                    restoration.reversalOperationId(), null, restoration.at())) {
                h.rollback();
                return new ReversalResult(ReversalResult.Status.DUPLICATE, OptionalLong.empty(), 0, 0);
            }
            String target = restoration.reversalOperationId();
            Optional<Operations.Applied> unlocked = operations.find(h, target);
            PaymentRows.Payment lockedPayment = null;
            if (unlocked.isPresent() && unlocked.get().paymentReference() != null) {
                // The payment row first, as credits and reversals lock it, then the reversal's record.
                lockedPayment = payments.lock(h, unlocked.get().paymentReference(), restoration.at());
            }
            Optional<Operations.Applied> reversal = operations.lock(h, target);
            if (reversal.isEmpty()) {
                // Not seen yet: record it as cancelled, so that it never applies. A reversal that
                // claims the id meanwhile makes this insert fail, and the step reruns.
                if (!operations.claim(h, target, Operations.Kind.CANCELLED, null, null, null, restoration.at())) {
                    throw new Transactions.Conflict("the reversal arrived meanwhile");
                }
                return new ReversalResult(ReversalResult.Status.CANCELLED, OptionalLong.empty(), 0, 0);
            }
            Operations.Applied applied = reversal.get();
            if (unlocked.isEmpty() || !Objects.equals(applied.paymentReference(),
                    unlocked.get().paymentReference()) || applied.kind() != unlocked.get().kind()) {
                throw new Transactions.Conflict("the reversal changed before it was locked");
            }
            if (applied.kind() == Operations.Kind.DEFERRED) {
                payments.dropDeferredReversal(h, target);
                operations.update(h, target, Operations.Kind.CANCELLED, OptionalLong.empty(), 0);
                return new ReversalResult(ReversalResult.Status.CANCELLED, OptionalLong.empty(), 0, 0);
            }
            if (applied.kind() != Operations.Kind.REVERSAL) {
                // A credit, settlement or restoration id: nothing of it can be given back.
                return new ReversalResult(ReversalResult.Status.APPLIED, applied.userId(),
                        applied.userId().isPresent() ? accounts.balanceOrZero(h, applied.userId().getAsLong()) : 0, 0);
            }
            // Locked above: the reversal's payment reference is the one checked equal to it.
            PaymentRows.Payment payment = lockedPayment;
            payments.update(h, new PaymentRows.Payment(payment.reference(), payment.userId(), payment.creditedCents(),
                    payment.reversedCents() - applied.movedCents()));
            Optional<UserRecord> account = applied.userId().isPresent()
                    ? accounts.lock(h, applied.userId().getAsLong()) : Optional.empty();
            if (applied.movedCents() == 0 || account.isEmpty()) {
                operations.update(h, restoration.operationId(), Operations.Kind.RESTORATION, OptionalLong.empty(), 0);
                return new ReversalResult(ReversalResult.Status.APPLIED, applied.userId(),
                        account.map(UserRecord::balanceCents).orElse(0L), 0);
            }
            long userId = applied.userId().getAsLong();
            long balance = balances.move(h, userId, applied.movedCents(), restoration.kind(),
                    restoration.operationId(), restoration.memo(), restoration.at()).orElseThrow();
            operations.update(h, restoration.operationId(), Operations.Kind.RESTORATION, OptionalLong.of(userId), 0);
            return new ReversalResult(ReversalResult.Status.APPLIED, OptionalLong.of(userId), balance,
                    applied.movedCents());
        });
    }
}
