package dev.stripeflare.store.postgres;

import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Unclaimed payments (ADR 31): paid checkouts that could not be credited. Recording one claims
 * its operation id as settled in {@code @operations} and inserts the row in one transaction, so
 * the same checkout delivered to two instances at once is kept once. A resolution locks the
 * unclaimed row first ({@code FOR UPDATE}), so of concurrent assignments and refund markings
 * exactly one finds it open; an assignment then locks the payment's row (as credits and
 * reversals of that payment do) and the account's row, credits it and applies the reversals
 * that waited for the payment. Stateless apart from its SQL.
 */
final class Unclaimed {
    private static final String COLUMNS = "id, operation_id, payment_intent, amount, currency, payer_email, reason,"
            + " received_at, status, assigned_user_id, note, resolved_at";

    private final Transactions tx;
    private final Accounts accounts;
    private final Balances balances;
    private final Operations operations;
    private final PaymentRows payments;
    private final String insert;
    private final String all;
    private final String find;
    private final String lock;
    private final String resolve;

    Unclaimed(Sql sql, Transactions tx, Accounts accounts, Balances balances, Operations operations,
              PaymentRows payments) {
        this.tx = tx;
        this.accounts = accounts;
        this.balances = balances;
        this.operations = operations;
        this.payments = payments;
        insert = sql.of("INSERT INTO @unclaimed_payments (" + COLUMNS + ") VALUES (:id, :op, :pi, :amount, :currency,"
                + " :email, :reason, :at, :status, NULL, NULL, NULL) ON CONFLICT DO NOTHING");
        all = sql.of("SELECT " + COLUMNS + " FROM @unclaimed_payments ORDER BY received_at, id");
        find = sql.of("SELECT " + COLUMNS + " FROM @unclaimed_payments WHERE id = :id");
        lock = find + " FOR UPDATE";
        resolve = sql.of("UPDATE @unclaimed_payments SET status = :status, assigned_user_id = :user, note = :note,"
                + " resolved_at = :at WHERE id = :id");
    }

    boolean record(UnclaimedPayment p) {
        return tx.inTransaction("recording unclaimed payment " + p.id(), false, h -> {
            if (!operations.claim(h, p.operationId(), Operations.Kind.SETTLED, null, null,
                    "unclaimed: " + p.reason(), p.receivedAt())) {
                h.rollback();
                return false;
            }
            boolean inserted = h.createUpdate(insert).bind("id", p.id()).bind("op", p.operationId())
                    .bind("pi", p.paymentIntentId().orElse(null)).bind("amount", p.amountCents())
                    .bind("currency", p.currency()).bind("email", p.payerEmail().orElse(null))
                    .bind("reason", p.reason().name()).bind("at", p.receivedAt()).bind("status", p.status().name())
                    .execute() == 1;
            if (!inserted) {
                h.rollback(); // the id is kept under another operation id: nothing of this one stays
            }
            return inserted;
        });
    }

    List<UnclaimedPayment> all() {
        return tx.autocommit("listing unclaimed payments", h -> h.createQuery(all).map((rs, ctx) -> payment(rs)).list());
    }

    Optional<UnclaimedPayment> find(String id) {
        return tx.autocommit("reading unclaimed payment",
                h -> h.createQuery(find).bind("id", id).map((rs, ctx) -> payment(rs)).findOne());
    }

    UnclaimedResolution assign(UnclaimedAssignment a) {
        return tx.inTransaction("assigning unclaimed payment " + a.unclaimedId(), false, h -> {
            Optional<UnclaimedPayment> found = lock(h, a.unclaimedId());
            if (found.isEmpty()) {
                return UnclaimedResolution.notFound();
            }
            UnclaimedPayment payment = found.get();
            if (!payment.isOpen()) {
                return UnclaimedResolution.alreadyResolved(payment);
            }
            PaymentRows.Payment row = payment.paymentIntentId().map(ref -> payments.lock(h, ref, a.at())).orElse(null);
            if (accounts.lock(h, a.userId()).isEmpty()) {
                h.rollback(); // the payment row may have been created just now
                return new UnclaimedResolution(UnclaimedResolution.Status.NO_SUCH_ACCOUNT, found, 0);
            }
            long balance = balances.move(h, a.userId(), payment.amountCents(), LedgerEntryKind.PAYMENT,
                    payment.operationId(), a.memo(), a.at())
                    .orElseThrow(() -> new Transactions.Conflict("account vanished while locked"));
            if (row != null) {
                balance = applyPayment(h, row, a.userId(), payment.amountCents(), balance);
            }
            operations.update(h, payment.operationId(), Operations.Kind.CREDIT, OptionalLong.of(a.userId()), 0);
            UnclaimedPayment assigned = payment.assignedTo(a.userId(), a.note(), a.at());
            resolve(h, assigned);
            return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(assigned), balance);
        });
    }

    UnclaimedResolution markRefunded(String id, String note, Instant at) {
        return tx.inTransaction("marking unclaimed payment " + id + " refunded", false, h -> {
            Optional<UnclaimedPayment> found = lock(h, id);
            if (found.isEmpty()) {
                return UnclaimedResolution.notFound();
            }
            if (!found.get().isOpen()) {
                return UnclaimedResolution.alreadyResolved(found.get());
            }
            UnclaimedPayment refunded = found.get().refunded(note, at);
            resolve(h, refunded);
            return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(refunded), 0);
        });
    }

    /**
     * As a credit's: adds the cents to the locked payment's totals and applies its deferred
     * reversals, capped at what it credited less what was taken back; the balance after.
     */
    private long applyPayment(Handle h, PaymentRows.Payment payment, long userId, long cents, long balance) {
        long credited;
        try {
            credited = Math.addExact(payment.creditedCents(), cents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("the payment's credited total overflows a long");
        }
        long reversed = payment.reversedCents();
        long remaining = Math.max(0, credited - reversed);
        List<PaymentReversal> deferred = payments.deferred(h, payment.reference());
        for (PaymentReversal reversal : deferred) {
            long taken = Math.min(reversal.requestedCents(credited), remaining);
            remaining -= taken;
            reversed += taken;
            if (taken > 0) {
                balance = balances.move(h, userId, -taken, reversal.kind(), reversal.operationId(),
                        reversal.memo(), reversal.at()).orElseThrow();
            }
            operations.update(h, reversal.operationId(), Operations.Kind.REVERSAL, OptionalLong.of(userId), taken);
        }
        if (!deferred.isEmpty()) {
            payments.dropDeferred(h, payment.reference());
        }
        long owner = payment.credited() ? payment.userId() : userId;
        payments.update(h, new PaymentRows.Payment(payment.reference(), owner, credited, reversed));
        return balance;
    }

    private Optional<UnclaimedPayment> lock(Handle h, String id) {
        return h.createQuery(lock).bind("id", id).map((rs, ctx) -> payment(rs)).findOne();
    }

    private void resolve(Handle h, UnclaimedPayment p) {
        h.createUpdate(resolve).bind("status", p.status().name())
                .bind("user", p.assignedUserId().isPresent() ? p.assignedUserId().getAsLong() : null)
                .bind("note", p.note().orElse(null)).bind("at", p.resolvedAt().orElseThrow()).bind("id", p.id())
                .execute();
    }

    private static UnclaimedPayment payment(ResultSet rs) throws SQLException {
        long assigned = rs.getLong(10);
        OptionalLong assignedUserId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(assigned);
        OffsetDateTime resolvedAt = rs.getObject(12, OffsetDateTime.class);
        return new UnclaimedPayment(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                rs.getLong(4), rs.getString(5), Optional.ofNullable(rs.getString(6)),
                UnclaimedPayment.Reason.valueOf(rs.getString(7)), Sql.fromDb(rs.getObject(8, OffsetDateTime.class)),
                UnclaimedPayment.Status.valueOf(rs.getString(9)), assignedUserId, Optional.ofNullable(rs.getString(11)),
                Optional.ofNullable(resolvedAt).map(Sql::fromDb));
    }
}
