package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.UserRecord;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads accounts and ledgers; every column of ACCOUNTS that is not built in becomes a custom field. */
final class AccountReads {

    static final RowMapper<UserRecord> USER = AccountReads::user;
    static final RowMapper<LedgerEntry> LEDGER_ENTRY = AccountReads::ledgerEntry;

    private static final String BY_TOKEN_HASH = "SELECT A.* FROM TOKENS T JOIN ACCOUNTS A"
            + " ON A.USER_ID = T.USER_ID WHERE T.TOKEN_HASH = ?";
    private static final String BY_ID = "SELECT * FROM ACCOUNTS WHERE USER_ID = ?";

    static final String LEDGER_COLUMNS = "USER_ID, AMOUNT, BALANCE_AFTER, KIND, OPERATION_ID, MEMO, AT";

    private AccountReads() {
    }

    /** The session path: a kept prepared statement and a kept column layout, no Jdbi. */
    static Optional<UserRecord> byTokenHash(StatementCache statements, String tokenHash) throws SQLException {
        PreparedStatement query = statements.get(BY_TOKEN_HASH);
        query.setString(1, tokenHash);
        return single(statements, query);
    }

    static Optional<UserRecord> byId(StatementCache statements, long userId) throws SQLException {
        PreparedStatement query = statements.get(BY_ID);
        query.setLong(1, userId);
        return single(statements, query);
    }

    private static Optional<UserRecord> single(StatementCache statements, PreparedStatement query)
            throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(statements.accountLayout(query, rs).user(rs));
        }
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
        return AccountLayout.of(rs).user(rs);
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
