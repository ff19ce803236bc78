package dev.stripeflare.store.h2;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.spi.Adjustment;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Adjustments (ADR 32): one transaction that locks the account's row, answers a repeated
 * operation id from the ADJUSTMENTS table, else changes the balance, appends the ledger entry
 * and records the id. Two adjustments under one new id at once both insert the id; the second
 * hits its primary key and is rerun by {@link HandlePool}, then answers as a repeat. Stateless.
 */
final class Adjustments {

    /** A recorded adjustment. */
    private record Prior(long userId, long amountCents, long balanceAfterCents) { }

    private Adjustments() {
    }

    static AdjustmentResult adjust(Handle h, Adjustment adjustment) {
        long userId = adjustment.userId();
        DailyTotals.ensureDay(h, adjustment.at()); // before the account's row is locked (see DailyTotals)
        Optional<long[]> balance = h.createQuery("SELECT BALANCE, GRANTED FROM ACCOUNTS WHERE USER_ID = ? FOR UPDATE")
                .bind(0, userId).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne();
        if (balance.isEmpty()) {
            throw new UnknownUserException(userId);
        }
        Optional<Prior> prior = h.createQuery("SELECT USER_ID, AMOUNT, BALANCE_AFTER FROM ADJUSTMENTS"
                        + " WHERE OPERATION_ID = ?")
                .bind(0, adjustment.operationId())
                .map((rs, ctx) -> new Prior(rs.getLong(1), rs.getLong(2), rs.getLong(3))).findOne();
        if (prior.isPresent()) {
            Prior p = prior.get();
            if (p.userId() != userId || p.amountCents() != adjustment.amountCents()) {
                throw new IdempotencyKeyReusedException("adjustment operation id already adjusted account "
                        + p.userId() + " by " + p.amountCents() + " cents");
            }
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
            return new AdjustmentResult(AdjustmentOutcome.INSUFFICIENT_BALANCE, before);
        }
        LocalDateTime at = LocalDateTime.ofInstant(adjustment.at(), ZoneOffset.UTC);
        h.execute("UPDATE ACCOUNTS SET BALANCE = ? WHERE USER_ID = ?", after, userId);
        h.execute("INSERT INTO LEDGER (USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", userId, adjustment.amountCents(), after,
                LedgerEntryKind.ADJUSTMENT.name(), adjustment.operationId(), adjustment.reason(), at);
        DailyTotals.add(h, userId, adjustment.amountCents(), adjustment.at());
        h.execute("INSERT INTO ADJUSTMENTS (OPERATION_ID, USER_ID, AMOUNT, BALANCE_AFTER, AT) VALUES (?, ?, ?, ?, ?)",
                adjustment.operationId(), userId, adjustment.amountCents(), after, at);
        return new AdjustmentResult(AdjustmentOutcome.APPLIED, after);
    }
}
