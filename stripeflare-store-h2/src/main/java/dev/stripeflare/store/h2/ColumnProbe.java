package dev.stripeflare.store.h2;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What an ACCOUNTS column is, as H2 describes it, and what a migration's declaration of it would
 * be. H2 normalises the declaration in a session-local temporary table (never written to the
 * file, so a crash cannot leave it), which makes {@code "varchar(20) default 'free'"} and the
 * column an earlier run of the same migration made compare equal.
 */
final class ColumnProbe {

    private static final String PROBE_TABLE = "SF_COLUMN_PROBE";
    private static final String DESCRIPTION = "SELECT DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,"
            + " NUMERIC_SCALE, DATETIME_PRECISION, INTERVAL_TYPE, INTERVAL_PRECISION, MAXIMUM_CARDINALITY,"
            + " DOMAIN_SCHEMA, DOMAIN_NAME, COLUMN_DEFAULT, IS_NULLABLE, IS_IDENTITY, IS_GENERATED,"
            + " GENERATION_EXPRESSION, COLUMN_ON_UPDATE, DEFAULT_ON_NULL"
            + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = ?"
            + " AND COLUMN_NAME = ?";

    private ColumnProbe() {
    }

    /** The description of {@code table.column} in the current schema, if it exists. Rolls back. */
    static Optional<Map<String, Object>> existing(Handle handle, String table, String column) {
        List<Map<String, Object>> rows = handle.createQuery(DESCRIPTION).bind(0, table).bind(1, column)
                .mapToMap().list();
        handle.rollback();
        return rows.stream().findFirst();
    }

    /** The description a column declared as {@code column sqlType} would have. Commits. */
    static Map<String, Object> declared(Handle handle, String column, String sqlType) {
        handle.execute("DROP TABLE IF EXISTS " + PROBE_TABLE);
        handle.execute("CREATE LOCAL TEMPORARY TABLE " + PROBE_TABLE + " (" + Identifiers.quoted(column) + " "
                + sqlType + ")");
        try {
            return existing(handle, PROBE_TABLE, column).orElseThrow();
        } finally {
            handle.execute("DROP TABLE IF EXISTS " + PROBE_TABLE);
            handle.commit();
        }
    }
}
