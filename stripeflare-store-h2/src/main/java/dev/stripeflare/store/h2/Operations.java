package dev.stripeflare.store.h2;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The OPERATIONS table: every operation id the store has applied, deferred, settled or
 * cancelled. Its primary key is what makes an operation exactly-once: a second transaction
 * recording the same id fails on it and is rerun, and then finds the id here.
 */
final class Operations {

    /** A recorded operation: its kind and the account it went to, if any. */
    record Recorded(String kind, OptionalLong userId) {
    }

    private Operations() {
    }

    /** The operation, if recorded; read without a lock. */
    static Optional<Recorded> find(Handle h, String operationId) {
        return h.createQuery("SELECT KIND, USER_ID FROM OPERATIONS WHERE OPERATION_ID = ?")
                .bind(0, operationId)
                .map(Operations::recorded)
                .findOne();
    }

    /** The operation, if recorded, with its row locked until the transaction ends. */
    static Optional<Recorded> lock(Handle h, String operationId) {
        return h.createQuery("SELECT KIND, USER_ID FROM OPERATIONS WHERE OPERATION_ID = ? FOR UPDATE")
                .bind(0, operationId)
                .map(Operations::recorded)
                .findOne();
    }

    private static Recorded recorded(ResultSet rs, StatementContext ctx) throws SQLException {
        String kind = rs.getString(1);
        long id = rs.getLong(2);
        return new Recorded(kind, rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(id));
    }

    /** Records the id; first makes the DAILY_TOTALS rows of its day, before any balance changes. */
    static void record(Handle h, String operationId, String kind, Long userId, String reason, Instant at) {
        DailyTotals.ensureDay(h, at);
        h.createUpdate("INSERT INTO OPERATIONS (OPERATION_ID, KIND, USER_ID, REASON, AT) VALUES (?, ?, ?, ?, ?)")
                .bind(0, operationId).bind(1, kind).bind(2, userId).bind(3, reason).bind(4, Sql.toDb(at))
                .execute();
    }
}
