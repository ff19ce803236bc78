package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * A charge as one transaction of few statements. Without an idempotency key: one UPDATE that
 * finds the account through the token hash, checks the balance and debits it, then the ledger
 * insert. With a key: one lookup of token and key together first, then the same, plus the key's
 * insert. A concurrent charge under the same key hits the key's primary key and is rerun by
 * {@link HandlePool}, which then answers it as a replay.
 */
final class Charges {

    private static final String DEBIT_BY_TOKEN = "SELECT USER_ID, BALANCE FROM FINAL TABLE"
            + " (UPDATE ACCOUNTS SET BALANCE = BALANCE - ?"
            + " WHERE USER_ID = (SELECT USER_ID FROM TOKENS WHERE TOKEN_HASH = ?)";
    private static final String DEBIT_BY_ID = "SELECT USER_ID, BALANCE FROM FINAL TABLE"
            + " (UPDATE ACCOUNTS SET BALANCE = BALANCE - ? WHERE USER_ID = ?";
    private static final String COVERED = " AND BALANCE >= ?)";
    private static final String UNCOVERED = ")";

    private Charges() {
    }

    private record Debited(long userId, long balance) {
    }

    private record KeyLookup(long userId, Long amount, Long balanceAfter) {
    }

    static ChargeResult charge(Handle h, Debit debit) {
        return debit.idempotencyKey() == null ? chargeWithoutKey(h, debit) : chargeWithKey(h, debit);
    }

    private static ChargeResult chargeWithoutKey(Handle h, Debit debit) {
        Optional<Debited> debited = bindCover(h.createQuery(DEBIT_BY_TOKEN + condition(debit))
                .bind(0, debit.amountCents()).bind(1, debit.tokenHash()), debit)
                .map((rs, ctx) -> new Debited(rs.getLong(1), rs.getLong(2))).findOne();
        if (debited.isEmpty()) {
            return h.createQuery("SELECT A.BALANCE FROM TOKENS T JOIN ACCOUNTS A ON A.USER_ID = T.USER_ID"
                            + " WHERE T.TOKEN_HASH = ?")
                    .bind(0, debit.tokenHash()).mapTo(Long.class).findOne()
                    .map(ChargeResult::insufficientBalance)
                    .orElseGet(ChargeResult::notRegistered);
        }
        Debited d = debited.get();
        Balances.appendLedger(h, d.userId(), -debit.amountCents(), d.balance(), LedgerEntryKind.CHARGE,
                null, debit.memo(), debit.at());
        return ChargeResult.charged(d.balance());
    }

    private static ChargeResult chargeWithKey(Handle h, Debit debit) {
        Optional<KeyLookup> lookup = h.createQuery("SELECT T.USER_ID, I.AMOUNT, I.BALANCE_AFTER FROM TOKENS T"
                        + " LEFT JOIN IDEMPOTENCY I ON I.USER_ID = T.USER_ID AND I.IDEM_KEY = ?"
                        + " WHERE T.TOKEN_HASH = ?")
                .bind(0, debit.idempotencyKey()).bind(1, debit.tokenHash())
                .map((rs, ctx) -> new KeyLookup(rs.getLong(1), rs.getObject(2, Long.class),
                        rs.getObject(3, Long.class)))
                .findOne();
        if (lookup.isEmpty()) {
            return ChargeResult.notRegistered();
        }
        KeyLookup found = lookup.get();
        if (found.amount() != null) {
            if (found.amount() != debit.amountCents()) {
                throw new IdempotencyKeyReusedException("idempotency key already charged this account "
                        + found.amount() + " cents, not " + debit.amountCents());
            }
            return ChargeResult.replayed(found.balanceAfter());
        }
        Optional<Long> balance = bindCover(h.createQuery(DEBIT_BY_ID + condition(debit))
                .bind(0, debit.amountCents()).bind(1, found.userId()), debit)
                .map((rs, ctx) -> rs.getLong(2)).findOne();
        if (balance.isEmpty()) {
            return h.createQuery("SELECT BALANCE FROM ACCOUNTS WHERE USER_ID = ?").bind(0, found.userId())
                    .mapTo(Long.class).findOne()
                    .map(ChargeResult::insufficientBalance)
                    .orElseGet(ChargeResult::notRegistered);
        }
        long after = balance.get();
        Balances.appendLedger(h, found.userId(), -debit.amountCents(), after, LedgerEntryKind.CHARGE,
                debit.idempotencyKey(), debit.memo(), debit.at());
        h.createUpdate("INSERT INTO IDEMPOTENCY (USER_ID, IDEM_KEY, AMOUNT, BALANCE_AFTER) VALUES (?, ?, ?, ?)")
                .bind(0, found.userId()).bind(1, debit.idempotencyKey()).bind(2, debit.amountCents())
                .bind(3, after).execute();
        return ChargeResult.charged(after);
    }

    private static Query bindCover(Query query, Debit debit) {
        return debit.allowNegativeBalance() ? query : query.bind(2, debit.amountCents());
    }

    private static String condition(Debit debit) {
        return debit.allowNegativeBalance() ? UNCOVERED : COVERED;
    }
}
