package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The UNCLAIMED_PAYMENTS table (ADR 31): paid checkouts that could not be credited, and their
 * resolution. Recording one also records its operation id as settled in OPERATIONS, whose
 * primary key makes two concurrent records of one checkout collide: the loser is rerun and
 * finds it. An assignment or refund marking locks the payment's row first, so of concurrent
 * resolutions exactly one sees it open; an assignment then locks the PAYMENTS row (as credits
 * and reversals of that payment do first) and updates the account's balance last.
 */
final class Unclaimed {
    private static final String COLUMNS = "ID, OPERATION_ID, PAYMENT_INTENT, AMOUNT, CURRENCY, PAYER_EMAIL, REASON,"
            + " RECEIVED_AT, STATUS, ASSIGNED_USER_ID, NOTE, RESOLVED_AT";

    private Unclaimed() {
    }

    static boolean record(Handle h, UnclaimedPayment p) {
        if (Operations.find(h, p.operationId()).isPresent() || find(h, p.id()).isPresent()) {
            return false;
        }
        Operations.record(h, p.operationId(), "SETTLED", null, "unclaimed: " + p.reason(), p.receivedAt());
        h.createUpdate("INSERT INTO UNCLAIMED_PAYMENTS (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, p.id()).bind(1, p.operationId()).bind(2, p.paymentIntentId().orElse(null))
                .bind(3, p.amountCents()).bind(4, p.currency()).bind(5, p.payerEmail().orElse(null))
                .bind(6, p.reason().name()).bind(7, Sql.toDb(p.receivedAt())).bind(8, p.status().name())
                .bind(9, (Long) null).bind(10, (String) null).bind(11, (LocalDateTime) null)
                .execute();
        return true;
    }

    static List<UnclaimedPayment> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM UNCLAIMED_PAYMENTS ORDER BY RECEIVED_AT, ID")
                .map(Unclaimed::payment).list();
    }

    static Optional<UnclaimedPayment> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM UNCLAIMED_PAYMENTS WHERE ID = ?").bind(0, id)
                .map(Unclaimed::payment).findOne();
    }

    private static Optional<UnclaimedPayment> lock(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM UNCLAIMED_PAYMENTS WHERE ID = ? FOR UPDATE").bind(0, id)
                .map(Unclaimed::payment).findOne();
    }

    static UnclaimedResolution assign(Handle h, UnclaimedAssignment a) {
        Optional<UnclaimedPayment> found = lock(h, a.unclaimedId());
        if (found.isEmpty()) {
            return UnclaimedResolution.notFound();
        }
        UnclaimedPayment payment = found.get();
        if (!payment.isOpen()) {
            return UnclaimedResolution.alreadyResolved(payment);
        }
        if (!Accounts.exists(h, a.userId())) {
            return new UnclaimedResolution(UnclaimedResolution.Status.NO_SUCH_ACCOUNT, found, 0);
        }
        Payments.Payment locked = payment.paymentIntentId().map(ref -> Payments.lock(h, ref, a.at())).orElse(null);
        UnclaimedPayment assigned = payment.assignedTo(a.userId(), a.note(), a.at());
        h.execute("UPDATE OPERATIONS SET KIND = 'CREDIT', USER_ID = ? WHERE OPERATION_ID = ?",
                a.userId(), payment.operationId());
        resolve(h, assigned);
        // The balance UPDATE as late as possible (see Credits on H2's rollback anomaly).
        long balance = Balances.add(h, a.userId(), payment.amountCents()).orElseThrow(Sql.RaceLost::new);
        Balances.appendLedger(h, a.userId(), payment.amountCents(), balance, LedgerEntryKind.PAYMENT,
                payment.operationId(), a.memo(), a.at());
        if (locked != null) {
            Payments.Payment credited = Payments.credited(h, locked, a.userId(), payment.amountCents());
            if (credited.userId() == a.userId()) {
                balance = Reversals.applyDeferred(h, credited, balance);
            }
        }
        return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(assigned), balance);
    }

    static UnclaimedResolution markRefunded(Handle h, String id, String note, Instant at) {
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
    }

    private static void resolve(Handle h, UnclaimedPayment p) {
        h.createUpdate("UPDATE UNCLAIMED_PAYMENTS SET STATUS = ?, ASSIGNED_USER_ID = ?, NOTE = ?, RESOLVED_AT = ?"
                        + " WHERE ID = ?")
                .bind(0, p.status().name()).bind(1, p.assignedUserId().isPresent() ? p.assignedUserId().getAsLong() : null)
                .bind(2, p.note().orElse(null)).bind(3, Sql.toDb(p.resolvedAt().orElseThrow())).bind(4, p.id())
                .execute();
    }

    private static UnclaimedPayment payment(ResultSet rs, StatementContext ctx) throws SQLException {
        long assigned = rs.getLong(10);
        OptionalLong assignedUserId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(assigned);
        LocalDateTime resolvedAt = rs.getObject(12, LocalDateTime.class);
        return new UnclaimedPayment(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                rs.getLong(4), rs.getString(5), Optional.ofNullable(rs.getString(6)),
                UnclaimedPayment.Reason.valueOf(rs.getString(7)), Sql.fromDb(rs.getObject(8, LocalDateTime.class)),
                UnclaimedPayment.Status.valueOf(rs.getString(9)), assignedUserId, Optional.ofNullable(rs.getString(11)),
                Optional.ofNullable(resolvedAt).map(Sql::fromDb));
    }
}
