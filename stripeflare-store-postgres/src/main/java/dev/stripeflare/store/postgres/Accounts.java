package dev.stripeflare.store.postgres;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.UserRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Reads of accounts and ledgers, inside whatever transaction the caller's handle is in, and
 * the account-row lock every balance-changing step takes. Stateless apart from its SQL.
 */
final class Accounts {

    /** The accounts table's own columns; any other column is an application's custom field. */
    static final List<String> BUILT_IN_COLUMNS = List.of("user_id", "balance", "name", "email", "verified_email",
            "card_fingerprint", "created_at", "granted", "grant_expires", "held", "hold_expires");

    private final String byId;
    private final String byIdForUpdate;
    private final String byTokenHash;
    private final String oldestByCard;
    private final String oldestByEmail;
    private final String ledger;
    private final String balance;
    private final List<String> customColumns;

    /** @param customColumns the application's columns of the accounts table, reported as custom fields */
    Accounts(Sql sql, List<String> customColumns) {
        this.customColumns = List.copyOf(customColumns);
        StringBuilder columns = new StringBuilder();
        for (String column : BUILT_IN_COLUMNS) {
            columns.append(columns.length() == 0 ? "" : ", ").append("a.").append(column);
        }
        for (String column : customColumns) {
            columns.append(", a.").append(Sql.quote(column));
        }
        String selected = columns.toString();
        byId = sql.of("SELECT " + selected + " FROM @accounts a WHERE a.user_id = :id");
        // NO KEY UPDATE: exclusive among the store's writers, yet an application's rows that
        // reference the account (per-user tables) can still be inserted meanwhile.
        byIdForUpdate = byId + " FOR NO KEY UPDATE";
        byTokenHash = sql.of("SELECT " + selected + " FROM @token_hashes t JOIN @accounts a ON a.user_id = t.user_id"
                + " WHERE t.token_hash = :hash AND NOT t.revoked");
        oldestByCard = sql.of("SELECT " + selected + " FROM @accounts a WHERE a.card_fingerprint = :v"
                + " ORDER BY a.created_at, a.user_id LIMIT 1");
        oldestByEmail = sql.of("SELECT " + selected + " FROM @accounts a"
                + " WHERE lower(a.verified_email) = lower(:v) AND a.verified_email IS NOT NULL"
                + " ORDER BY a.created_at, a.user_id LIMIT 1");
        ledger = sql.of("SELECT user_id, amount, balance_after, kind, operation_id, memo, at FROM @ledger"
                + " WHERE user_id = :id ORDER BY entry_id");
        balance = sql.of("SELECT balance FROM @accounts WHERE user_id = :id");
    }

    Optional<UserRecord> byId(Handle h, long userId) {
        return h.createQuery(byId).bind("id", userId).map((rs, ctx) -> record(rs)).findOne();
    }

    /** The account row, locked until the transaction ends; empty if it does not exist (any more). */
    Optional<UserRecord> lock(Handle h, long userId) {
        return h.createQuery(byIdForUpdate).bind("id", userId).map((rs, ctx) -> record(rs)).findOne();
    }

    Optional<UserRecord> byTokenHash(Handle h, String tokenHash) {
        return h.createQuery(byTokenHash).bind("hash", tokenHash).map((rs, ctx) -> record(rs)).findOne();
    }

    Optional<UserRecord> oldestByCard(Handle h, String cardFingerprint) {
        return h.createQuery(oldestByCard).bind("v", cardFingerprint).map((rs, ctx) -> record(rs)).findOne();
    }

    Optional<UserRecord> oldestByVerifiedEmail(Handle h, String verifiedEmail) {
        return h.createQuery(oldestByEmail).bind("v", verifiedEmail).map((rs, ctx) -> record(rs)).findOne();
    }

    /** The balance, or 0 when the account does not exist. */
    long balanceOrZero(Handle h, long userId) {
        return h.createQuery(balance).bind("id", userId).mapTo(Long.class).findOne().orElse(0L);
    }

    List<LedgerEntry> ledger(Handle h, long userId) {
        return h.createQuery(ledger).bind("id", userId).map((rs, ctx) -> new LedgerEntry(
                rs.getLong(1), rs.getLong(2), rs.getLong(3), LedgerEntryKind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), Sql.fromDb(rs.getObject(7, OffsetDateTime.class)))).list();
    }

    private UserRecord record(ResultSet rs) throws SQLException {
        Map<String, Object> custom = Map.of();
        if (!customColumns.isEmpty()) {
            custom = new LinkedHashMap<>();
            for (int i = 0; i < customColumns.size(); i++) {
                Object value = rs.getObject(BUILT_IN_COLUMNS.size() + 1 + i);
                if (value != null) {
                    custom.put(customColumns.get(i), value);
                }
            }
        }
        return new UserRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), custom, Sql.fromDb(rs.getObject(7, OffsetDateTime.class)),
                rs.getLong(8), nextExpiry(rs.getObject(9, OffsetDateTime.class)), rs.getLong(10),
                nextExpiry(rs.getObject(11, OffsetDateTime.class)));
    }

    private static java.time.Instant nextExpiry(OffsetDateTime at) {
        return at == null ? null : Sql.fromDb(at);
    }
}
