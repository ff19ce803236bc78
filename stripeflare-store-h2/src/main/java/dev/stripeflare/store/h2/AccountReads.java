package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.UserRecord;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads accounts and ledgers; every column of ACCOUNTS that is not built in becomes a custom field. */
final class AccountReads {

    private static final Set<String> BUILT_IN = new HashSet<>(BuiltInSchema.ACCOUNT_COLUMNS);

    static final RowMapper<UserRecord> USER = AccountReads::user;
    static final RowMapper<LedgerEntry> LEDGER_ENTRY = AccountReads::ledgerEntry;

    static final String LEDGER_COLUMNS = "USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT";

    private AccountReads() {
    }

    static Optional<UserRecord> byTokenHash(Handle h, String tokenHash) {
        return h.createQuery("SELECT A.* FROM TOKENS T JOIN ACCOUNTS A ON A.USER_ID = T.USER_ID"
                        + " WHERE T.TOKEN_HASH = ?")
                .bind(0, tokenHash).map(USER).findOne();
    }

    static Optional<UserRecord> byId(Handle h, long userId) {
        return h.createQuery("SELECT * FROM ACCOUNTS WHERE USER_ID = ?").bind(0, userId).map(USER).findOne();
    }

    static Optional<UserRecord> byCardFingerprint(Handle h, String fingerprint) {
        return h.createQuery("SELECT * FROM ACCOUNTS WHERE CARD_FINGERPRINT = ?"
                        + " ORDER BY CREATED_AT, USER_ID FETCH FIRST ROW ONLY")
                .bind(0, fingerprint).map(USER).findOne();
    }

    static Optional<UserRecord> byVerifiedEmail(Handle h, String email) {
        return h.createQuery("SELECT * FROM ACCOUNTS WHERE VERIFIED_EMAIL_LC = LOWER(?)"
                        + " ORDER BY CREATED_AT, USER_ID FETCH FIRST ROW ONLY")
                .bind(0, email).map(USER).findOne();
    }

    static List<LedgerEntry> ledger(Handle h, long userId) {
        return h.createQuery("SELECT " + LEDGER_COLUMNS + " FROM LEDGER WHERE USER_ID = ? ORDER BY ENTRY_ID")
                .bind(0, userId).map(LEDGER_ENTRY).list();
    }

    private static UserRecord user(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<String, Object> custom = new HashMap<>();
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String label = meta.getColumnLabel(i);
            if (!BUILT_IN.contains(label)) {
                Object value = rs.getObject(i);
                if (value != null) {
                    custom.put(label, value);
                }
            }
        }
        return new UserRecord(
                rs.getLong("USER_ID"),
                rs.getLong("BALANCE"),
                rs.getString("NAME"),
                rs.getString("EMAIL"),
                rs.getString("VERIFIED_EMAIL"),
                rs.getString("CARD_FINGERPRINT"),
                custom,
                Sql.fromDb(rs.getObject("CREATED_AT", LocalDateTime.class)));
    }

    private static LedgerEntry ledgerEntry(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LedgerEntry(
                rs.getLong("USER_ID"),
                rs.getLong("AMOUNT"),
                rs.getLong("BALANCE_AFTER"),
                LedgerEntryKind.valueOf(rs.getString("KIND")),
                rs.getString("OPERATION_ID"),
                rs.getString("MEMO"),
                Sql.fromDb(rs.getObject("AT", LocalDateTime.class)));
    }
}
