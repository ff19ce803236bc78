package dev.stripeflare.store.postgres;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Token hashes, live and revoked, in one table whose primary key is the hash: a hash is never
 * both, and two steps attaching the same hash at once cannot both succeed (the loser's unique
 * violation reruns it, and the rerun sees the winner's row). A revoked row is a tombstone that
 * names the account the hash used to open. Stateless apart from its SQL.
 */
final class TokenRows {

    /** A token hash's row: the account it opens (or used to open, when revoked). */
    record Token(long userId, boolean revoked) { }

    private final String find;
    private final String attach;
    private final String revoke;
    private final String revokeAll;

    TokenRows(Sql sql) {
        find = sql.of("SELECT user_id, revoked FROM @token_hashes WHERE token_hash = :hash");
        attach = sql.of("INSERT INTO @token_hashes (token_hash, user_id) VALUES (:hash, :id)");
        revoke = sql.of("UPDATE @token_hashes SET revoked = true"
                + " WHERE token_hash = :hash AND user_id = :id AND NOT revoked");
        revokeAll = sql.of("UPDATE @token_hashes SET revoked = true WHERE user_id = :id AND NOT revoked");
    }

    Optional<Token> find(Handle h, String tokenHash) {
        return h.createQuery(find).bind("hash", tokenHash)
                .map((rs, ctx) -> new Token(rs.getLong(1), rs.getBoolean(2))).findOne();
    }

    /** Makes {@code tokenHash} open the account; a unique violation if the hash is known at all. */
    void attach(Handle h, String tokenHash, long userId) {
        h.createUpdate(attach).bind("hash", tokenHash).bind("id", userId).execute();
    }

    /** Revokes the live hash of this account; false when it is not (any more) such a hash. */
    boolean revoke(Handle h, String tokenHash, long userId) {
        return h.createUpdate(revoke).bind("hash", tokenHash).bind("id", userId).execute() == 1;
    }

    void revokeAll(Handle h, long userId) {
        h.createUpdate(revokeAll).bind("id", userId).execute();
    }
}
