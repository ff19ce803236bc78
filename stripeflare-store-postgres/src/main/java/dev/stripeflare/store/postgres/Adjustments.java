package dev.stripeflare.store.postgres;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.spi.Adjustment;
import java.util.Optional;

/**
 * Adjustments (ADR 32): one transaction that locks the account's row, answers a repeated
 * operation id from the adjustments table, else changes the balance, appends the ledger entry
 * and records the id. Two adjustments under one new id at once both insert the id; the second
 * hits its primary key and is rerun by {@link Transactions}, then answers as a repeat. Stateless
 * apart from its SQL.
 */
final class Adjustments {

    /** A recorded adjustment. */
    private record Prior(long userId, long amountCents, long balanceAfterCents) { }

    private final Transactions tx;
    private final String lockBalance;
    private final String prior;
    private final String apply;

    Adjustments(Sql sql, Transactions tx) {
        this.tx = tx;
        lockBalance = sql.of("SELECT balance, granted FROM @accounts WHERE user_id = :id FOR UPDATE");
        prior = sql.of("SELECT user_id, amount, balance_after FROM @adjustments WHERE operation_id = :op");
        apply = sql.of("WITH updated AS (UPDATE @accounts SET balance = :after WHERE user_id = :id RETURNING user_id),"
                + " entry AS (INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " SELECT user_id, :amount, :after, 'ADJUSTMENT', :op, :reason, :at FROM updated)"
                + " INSERT INTO @adjustments (operation_id, user_id, amount, balance_after, at)"
                + " SELECT :op, user_id, :amount, :after, :at FROM updated");
    }

    AdjustmentResult adjust(Adjustment adjustment) {
        long userId = adjustment.userId();
        return tx.inTransaction("adjusting a balance", true, h -> {
            Optional<long[]> balance = h.createQuery(lockBalance).bind("id", userId)
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne();
            if (balance.isEmpty()) {
                throw new UnknownUserException(userId);
            }
            Optional<Prior> recorded = h.createQuery(prior).bind("op", adjustment.operationId())
                    .map((rs, ctx) -> new Prior(rs.getLong(1), rs.getLong(2), rs.getLong(3))).findOne();
            if (recorded.isPresent()) {
                Prior p = recorded.get();
                if (p.userId() != userId || p.amountCents() != adjustment.amountCents()) {
                    throw new IdempotencyKeyReusedException("adjustment operation id already adjusted account "
                            + p.userId() + " by " + p.amountCents() + " cents");
                }
                h.rollback();
                return new AdjustmentResult(AdjustmentOutcome.REPLAYED, p.balanceAfterCents());
            }
            long before = balance.get()[0];
            long granted = balance.get()[1];
            long after;
            try {
                after = Math.addExact(before, adjustment.amountCents());
            } catch (ArithmeticException e) {
                throw new InvalidAmountException("balance " + before + " + " + adjustment.amountCents()
                        + " cents overflows a long");
            }
            // Against the paid part: granted credit leaves again when its grant ends (ADR 33).
            if (adjustment.amountCents() < 0 && after - granted < 0 && !adjustment.allowNegativeBalance()) {
                h.rollback();
                return new AdjustmentResult(AdjustmentOutcome.INSUFFICIENT_BALANCE, before);
            }
            h.createUpdate(apply).bind("after", after).bind("id", userId).bind("amount", adjustment.amountCents())
                    .bind("op", adjustment.operationId()).bind("reason", adjustment.reason())
                    .bind("at", adjustment.at()).execute();
            return new AdjustmentResult(AdjustmentOutcome.APPLIED, after);
        });
    }
}
