package dev.stripeflare.store.postgres;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Charges. The balance check and the debit are one conditional
 * {@code UPDATE … WHERE balance >= amount RETURNING balance}: PostgreSQL re-evaluates the
 * condition on the newest row version after waiting for a concurrent writer, so no interleaving
 * of instances overdraws. A charge without a key is that single statement (with the ledger
 * insert in the same statement) in autocommit mode. A charge with a key first inserts the key
 * row ({@code ON CONFLICT DO NOTHING}: a concurrent charge with the same key waits for the
 * first and then finds its row) and debits in the same transaction; a declined charge rolls
 * back, so its key is not recorded.
 *
 * <p>Unless told otherwise, a charge commits without waiting for its WAL flush
 * ({@code synchronous_commit = off} for that transaction only): a crash of the database server
 * may lose the charges of its last moments (the user got that usage free), never a credit, and
 * never leaves a balance that differs from its ledger — the H2 store's trade for charges. A
 * crash of the application loses nothing. A debit naming its account by user id runs the same
 * steps with the id in place of the token lookup (ADR 32); an unknown id finds no row to debit
 * and answers {@code NOT_REGISTERED}. Stateless apart from its SQL.
 */
final class Charges {

    private final Transactions tx;
    private final String debitByToken;
    private final String balanceByToken;
    private final String userByToken;
    private final String claimKey;
    private final String priorKey;
    private final String debitKeyed;
    private final String balance;
    private final String debitById;
    private final String setKeyBalance;
    private final GrantSteps grants;

    /**
     * @param synchronousCommit whether a charge's commit waits for its WAL flush; when false the
     *                          charge sets {@code synchronous_commit = off} for its own
     *                          transaction only (never for the connection)
     */
    Charges(Sql sql, Transactions tx, boolean synchronousCommit) {
        this.tx = tx;
        // set_config(…, true) lasts until the end of the statement's own transaction; PostgreSQL
        // reads synchronous_commit when it commits, so it applies to exactly this charge.
        String asyncCommit = synchronousCommit ? "" : ", (SELECT set_config('synchronous_commit', 'off', true)) cfg";
        debitByToken = sql.of("WITH debited AS (UPDATE @accounts a SET balance = a.balance - :amount"
                + " FROM @token_hashes t" + asyncCommit
                + " WHERE t.token_hash = :hash AND NOT t.revoked AND a.user_id = t.user_id"
                + " AND a.granted = 0 AND (:overdraft OR a.balance - a.held >= :amount) RETURNING a.user_id, a.balance),"
                + " entry AS (INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " SELECT user_id, -:amount, balance, 'CHARGE', NULL, :memo, :at FROM debited)"
                + " SELECT balance FROM debited");
        balanceByToken = sql.of("SELECT a.balance, a.granted, a.user_id, a.held,"
                + " a.hold_expires <= :at FROM @token_hashes t"
                + " JOIN @accounts a ON a.user_id = t.user_id"
                + " WHERE t.token_hash = :hash AND NOT t.revoked");
        userByToken = sql.of("SELECT t.user_id FROM @token_hashes t" + asyncCommit
                + " WHERE t.token_hash = :hash AND NOT t.revoked");
        claimKey = sql.of("INSERT INTO @idempotency_keys (user_id, idem_key, amount, balance_after, at)"
                + " VALUES (:id, :key, :amount, 0, :at) ON CONFLICT DO NOTHING");
        priorKey = sql.of("SELECT amount, balance_after FROM @idempotency_keys WHERE user_id = :id AND idem_key = :key");
        debitKeyed = sql.of("WITH debited AS (UPDATE @accounts SET balance = balance - :amount"
                + " WHERE user_id = :id AND granted = 0 AND (:overdraft OR balance - held >= :amount)"
                + " RETURNING user_id, balance),"
                + " entry AS (INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " SELECT user_id, -:amount, balance, 'CHARGE', NULL, :memo, :at FROM debited),"
                + " keyed AS (UPDATE @idempotency_keys k SET balance_after = d.balance FROM debited d"
                + " WHERE k.user_id = d.user_id AND k.idem_key = :key)"
                + " SELECT balance FROM debited");
        balance = sql.of("SELECT balance, granted, user_id, held, hold_expires <= :at FROM @accounts"
                + " WHERE user_id = :id");
        setKeyBalance = sql.of("UPDATE @idempotency_keys SET balance_after = :balance"
                + " WHERE user_id = :id AND idem_key = :key");
        grants = new GrantSteps(sql);
        // By user id (issue 13): the same statement with the account named by id.
        debitById = sql.of("WITH debited AS (UPDATE @accounts a SET balance = a.balance - :amount"
                + (synchronousCommit ? "" : " FROM (SELECT set_config('synchronous_commit', 'off', true)) cfg")
                + " WHERE a.user_id = :id"
                + " AND a.granted = 0 AND (:overdraft OR a.balance - a.held >= :amount) RETURNING a.user_id, a.balance),"
                + " entry AS (INSERT INTO @ledger (user_id, amount, balance_after, kind, operation_id, memo, at)"
                + " SELECT user_id, -:amount, balance, 'CHARGE', NULL, :memo, :at FROM debited)"
                + " SELECT balance FROM debited");
    }

    ChargeResult charge(Debit debit) {
        return debit.idempotencyKey() == null ? unkeyed(debit, null) : keyed(debit, null);
    }

    /**
     * As {@link #charge(Debit)}; hands {@code expiredInside} the grants the charge expired, after
     * its transaction committed (a keyed charge that is declined rolls its expiries back: none).
     */
    ChargeResult charge(Debit debit, java.util.function.Consumer<ExpiredGrant> expiredInside) {
        Charged charged = debit.idempotencyKey() == null ? unkeyedReporting(debit) : keyedReporting(debit);
        charged.expired().forEach(expiredInside);
        return charged.result();
    }

    /** A charge's answer with the grants its committed transaction expired. */
    private record Charged(ChargeResult result, List<ExpiredGrant> expired) { }

    private Charged unkeyedReporting(Debit debit) {
        List<List<ExpiredGrant>> committed = new ArrayList<>(1);
        ChargeResult result = unkeyed(debit, committed);
        return new Charged(result, committed.isEmpty() ? List.of() : committed.get(0));
    }

    private Charged keyedReporting(Debit debit) {
        List<List<ExpiredGrant>> committed = new ArrayList<>(1);
        ChargeResult result = keyed(debit, committed);
        return new Charged(result, committed.isEmpty() ? List.of() : committed.get(0));
    }

    /**
     * Runs the grant path of a charge in one transaction; when {@code committed} is not null, sets
     * its only element to the grants expired by the attempt that committed (each attempt starts
     * anew, so a rerun after a conflict reports only its own).
     */
    private ChargeResult grantCharge(long userId, Debit debit, List<List<ExpiredGrant>> committed) {
        if (committed == null) {
            return tx.inTransaction("charging", false, h -> grants.charge(h, userId, debit));
        }
        Charged charged = tx.inTransaction("charging", false, h -> {
            List<ExpiredGrant> expired = new ArrayList<>();
            return new Charged(grants.charge(h, userId, debit, expired), expired);
        });
        committed.clear();
        committed.add(charged.expired());
        return charged.result();
    }

    private ChargeResult unkeyed(Debit debit, List<List<ExpiredGrant>> committed) {
        // The account is named in the statement, by token hash or by id; the rest is one step.
        boolean byId = debit.byUserId();
        Optional<Long> after = tx.autocommit("charging", h -> (byId
                        ? h.createQuery(debitById).bind("id", debit.userId())
                        : h.createQuery(debitByToken).bind("hash", debit.tokenHash()))
                .bind("amount", debit.amountCents())
                .bind("overdraft", debit.allowNegativeBalance()).bind("memo", debit.memo()).bind("at", debit.at())
                .mapTo(Long.class).findOne());
        if (after.isPresent()) {
            return ChargeResult.charged(after.get());
        }
        Optional<long[]> now = tx.autocommit("reading a balance", h -> (byId
                        ? h.createQuery(balance).bind("id", debit.userId())
                        : h.createQuery(balanceByToken).bind("hash", debit.tokenHash()))
                .bind("at", debit.at()).map((rs, ctx) -> row(rs)).findOne());
        if (now.isEmpty()) {
            return ChargeResult.notRegistered();
        }
        if (grantPath(now.get(), debit)) {
            return grantCharge(now.get()[2], debit, committed);
        }
        return ChargeResult.insufficientBalance(now.get()[0]);
    }

    /**
     * Whether a debit that updated nothing must be retried under the account lock: the account
     * holds grant credit (ADR 33), or its balance covered the debit after all (a grant was spent
     * out meanwhile, or an overdraft is allowed).
     */
    private static boolean grantPath(long[] balanceGrantedUser, Debit debit) {
        // A hold past its expiry no longer holds its money: the locked path releases it (ADR 34).
        return balanceGrantedUser[1] > 0 || debit.allowNegativeBalance() || balanceGrantedUser[4] == 1
                || balanceGrantedUser[0] - balanceGrantedUser[3] >= debit.amountCents();
    }

    /** balance, granted, user id, held, whether a hold is due (1) or not (0). */
    private static long[] row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5) ? 1 : 0};
    }

    private ChargeResult keyed(Debit debit, List<List<ExpiredGrant>> committed) {
        Charged charged = tx.inTransaction("charging", false, h -> {
            List<ExpiredGrant> expired = committed == null ? null : new ArrayList<>();
            return new Charged(keyedStep(h, debit, expired), expired == null ? List.of() : expired);
        });
        if (committed != null) {
            committed.add(charged.expired());
        }
        return charged.result();
    }

    /** The keyed charge's transaction; {@code expired} (if not null) keeps only what stays committed. */
    private ChargeResult keyedStep(Handle h, Debit debit, List<ExpiredGrant> expired) {
        Optional<Long> userId = debit.byUserId()
                ? Optional.of(debit.userId())
                : h.createQuery(userByToken).bind("hash", debit.tokenHash()).mapTo(Long.class).findOne();
        if (userId.isEmpty()) {
            h.rollback();
            return ChargeResult.notRegistered();
        }
        long id = userId.get();
        int claimed = h.createUpdate(claimKey).bind("id", id).bind("key", debit.idempotencyKey())
                .bind("amount", debit.amountCents()).bind("at", debit.at()).execute();
        if (claimed == 0) {
            ChargeResult replay = replay(h, id, debit);
            h.rollback();
            return replay;
        }
        Optional<Long> after = h.createQuery(debitKeyed).bind("amount", debit.amountCents()).bind("id", id)
                .bind("overdraft", debit.allowNegativeBalance()).bind("key", debit.idempotencyKey())
                .bind("memo", debit.memo()).bind("at", debit.at()).mapTo(Long.class).findOne();
        if (after.isPresent()) {
            return ChargeResult.charged(after.get());
        }
        Optional<long[]> now = h.createQuery(balance).bind("id", id).bind("at", debit.at())
                .map((rs, ctx) -> row(rs)).findOne();
        if (now.isPresent() && grantPath(now.get(), debit)) {
            ChargeResult result = grants.charge(h, id, debit, expired);
            if (result.charged()) {
                h.createUpdate(setKeyBalance).bind("balance", result.balanceCents()).bind("id", id)
                        .bind("key", debit.idempotencyKey()).execute();
            } else {
                h.rollback();
                if (expired != null) {
                    expired.clear(); // rolled back with the charge
                }
            }
            return result;
        }
        h.rollback();
        return now.isEmpty() ? ChargeResult.notRegistered() : ChargeResult.insufficientBalance(now.get()[0]);
    }

    private ChargeResult replay(Handle h, long userId, Debit debit) {
        long[] prior = h.createQuery(priorKey).bind("id", userId).bind("key", debit.idempotencyKey())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne()
                .orElseThrow(() -> new Transactions.Conflict("idempotency key vanished"));
        if (prior[0] != debit.amountCents()) {
            throw new IdempotencyKeyReusedException("idempotency key already charged "
                    + prior[0] + " cents, not " + debit.amountCents());
        }
        return ChargeResult.replayed(prior[1]);
    }
}
