package dev.stripeflare.store.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Prepared statements kept open on one pooled connection, for the hot paths (charges, and
 * account reads by token hash or id, with their column layouts): reusing them
 * skips the per-call statement creation that Jdbi and the JDBC driver otherwise repeat
 * (measured at a quarter of a charge's time, see NOTES.md). Used only by the thread that holds
 * the connection, so not thread-safe by design.
 */
final class StatementCache implements Grants.Statements {

    /** A checked SQL failure carried through code paths that cannot throw it. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<PreparedStatement, AccountLayout> layouts = new IdentityHashMap<>();
    private java.time.LocalDate lastTotalsDay;

    // Non-null only while a charge that reports its expiries runs on this connection.
    private java.util.List<dev.stripeflare.spi.ExpiredGrant> chargeExpiries;

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Starts collecting the grants charges expire on this connection (an attempt starts anew). */
    void collectChargeExpiries() {
        chargeExpiries = new java.util.ArrayList<>(0);
    }

    /** What was collected since {@link #collectChargeExpiries()}; stops collecting. */
    java.util.List<dev.stripeflare.spi.ExpiredGrant> takeChargeExpiries() {
        java.util.List<dev.stripeflare.spi.ExpiredGrant> taken = chargeExpiries == null ? java.util.List.of() : chargeExpiries;
        chargeExpiries = null;
        return taken;
    }

    @Override
    public void expiredInCharge(java.util.List<dev.stripeflare.spi.ExpiredGrant> expired) {
        if (chargeExpiries != null) {
            chargeExpiries.addAll(expired);
        }
    }

    @Override
    public PreparedStatement get(String sql) {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            try {
                statement = connection.prepareStatement(sql);
            } catch (SQLException e) {
                throw new Failure(e);
            }
            statements.put(sql, statement);
        }
        return statement;
    }

    /** The column layout of {@code statement}'s accounts, read from {@code rs} the first time. */
    AccountLayout accountLayout(PreparedStatement statement, ResultSet rs) throws SQLException {
        AccountLayout layout = layouts.get(statement);
        if (layout == null) {
            layout = AccountLayout.of(rs);
            layouts.put(statement, layout);
        }
        return layout;
    }

    /**
     * Whether DAILY_TOTALS rows of {@code day} were made on this connection (a hint: a rolled
     * back transaction may have made them; an append then inserts its own row).
     */
    boolean knowsTotalsDay(java.time.LocalDate day) {
        return day.equals(lastTotalsDay);
    }

    void rememberTotalsDay(java.time.LocalDate day) {
        lastTotalsDay = day;
    }

    /** Forgets every column layout; call after a migration changed tables. */
    void forgetLayouts() {
        layouts.clear();
    }
}
