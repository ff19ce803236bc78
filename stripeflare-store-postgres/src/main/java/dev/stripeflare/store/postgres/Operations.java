package dev.stripeflare.store.postgres;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Applied operation ids: one namespace (primary key) for credits, reversals, restorations and
 * settlements. A step claims its id first with {@code INSERT … ON CONFLICT DO NOTHING}; a
 * concurrent step with the same id waits on the unique index until the first commits, then
 * finds it taken — the same webhook delivered to two instances at once applies once. A
 * restoration also names the reversal it restores in a unique column, so a reversal is
 * restored (or cancelled) at most once. Stateless apart from its SQL.
 */
final class Operations {

    /** What an operation id was recorded as. */
    enum Kind { CREDIT, REVERSAL, DEFERRED, CANCELLED, RESTORATION, SETTLED }

    /** A recorded operation id. */
    record Applied(String operationId, Kind kind, OptionalLong userId, long movedCents, String paymentReference) { }

    private final String claim;
    private final String find;
    private final String findForUpdate;
    private final String update;

    Operations(Sql sql) {
        claim = sql.of("INSERT INTO @operations (operation_id, kind, payment_ref, restores, reason, at)"
                + " VALUES (:op, :kind, :ref, :restores, :reason, :at) ON CONFLICT DO NOTHING");
        find = sql.of("SELECT operation_id, kind, user_id, moved_cents, payment_ref FROM @operations"
                + " WHERE operation_id = :op");
        findForUpdate = find + " FOR UPDATE";
        update = sql.of("UPDATE @operations SET kind = :kind, user_id = :id, moved_cents = :moved"
                + " WHERE operation_id = :op");
    }

    /**
     * Records {@code operationId} as {@code kind}; false (recording nothing) when the id — or,
     * for a restoration, the reversal it restores — was recorded before.
     */
    boolean claim(Handle h, String operationId, Kind kind, String paymentReference, String restores,
                  String reason, Instant at) {
        return h.createUpdate(claim).bind("op", operationId).bind("kind", kind.name())
                .bind("ref", paymentReference).bind("restores", restores).bind("reason", reason)
                .bind("at", at).execute() == 1;
    }

    Optional<Applied> find(Handle h, String operationId) {
        return h.createQuery(find).bind("op", operationId).map((rs, ctx) -> applied(rs)).findOne();
    }

    /** As {@link #find}, locking the row until the transaction ends. */
    Optional<Applied> lock(Handle h, String operationId) {
        return h.createQuery(findForUpdate).bind("op", operationId).map((rs, ctx) -> applied(rs)).findOne();
    }

    void update(Handle h, String operationId, Kind kind, OptionalLong userId, long movedCents) {
        h.createUpdate(update).bind("op", operationId).bind("kind", kind.name())
                .bind("id", userId.isPresent() ? userId.getAsLong() : null).bind("moved", movedCents).execute();
    }

    private static Applied applied(java.sql.ResultSet rs) throws java.sql.SQLException {
        long userId = rs.getLong(3);
        OptionalLong id = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(userId);
        return new Applied(rs.getString(1), Kind.valueOf(rs.getString(2)), id, rs.getLong(4), rs.getString(5));
    }
}
