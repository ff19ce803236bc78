package dev.stripeflare.store.h2;

import dev.stripeflare.ConfigurationException;
import dev.stripeflare.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before the store runs any statement, to open a database it would misread or whose
 * data it would silently hide: a store schema written by a newer release (this code would run
 * its own statements over tables it does not know), and a version that does not exist yet in a
 * database where other versions hold accounts (it would start empty while the data sits beside
 * it) unless the application asked for exactly that. Reads only.
 */
final class SchemaGuard {

    private SchemaGuard() {
    }

    /**
     * @throws StoreException         if the store schema in {@code aggregateSchema} is newer than
     *                                {@link BuiltInSchema#VERSION}
     * @throws ConfigurationException if {@code aggregateSchema} has no accounts table, other
     *                                versions have accounts, and {@code startEmptyAllowed} is false
     */
    static void check(Connection connection, String aggregateSchema, String version, boolean startEmptyAllowed) {
        try {
            if (tableExists(connection, aggregateSchema, "STORE_SCHEMA")) {
                int recorded = count(connection, "SELECT COALESCE(MAX(VERSION), 0) FROM "
                        + aggregateSchema + ".STORE_SCHEMA");
                if (recorded > BuiltInSchema.VERSION) {
                    throw new StoreException(newerSchemaMessage(recorded) + " (schema " + aggregateSchema + ")");
                }
            }
            if (startEmptyAllowed || tableExists(connection, aggregateSchema, "ACCOUNTS")) {
                return;
            }
            List<String> others = new ArrayList<>();
            for (String schema : otherVersions(connection, aggregateSchema)) {
                int accounts = count(connection, "SELECT COUNT(*) FROM " + schema + ".ACCOUNTS");
                if (accounts > 0) {
                    others.add(schema + " (" + versionOf(schema) + "): " + accounts + " account(s)");
                }
            }
            if (!others.isEmpty()) {
                throw new ConfigurationException(List.of((version.isEmpty() ? "the default version (no version)"
                        : "version \"" + version + "\"") + " has no data in this database yet, while other versions"
                        + " do: " + String.join(", ", others) + ". A new version starts empty and leaves their data"
                        + " untouched; call startEmptyBesideOlderData() to do that on purpose, or build with the"
                        + " version that holds your data"));
            }
        } catch (SQLException e) {
            throw Sql.failure("checking the database before opening it", e);
        }
    }

    static String newerSchemaMessage(int recorded) {
        return "the H2 store's data is at store schema version " + recorded + ", newer than this release of"
                + " stripeflare-store-h2 knows (" + BuiltInSchema.VERSION + "): a newer release wrote it, and this"
                + " one would misread it. Nothing was changed; run that release or a newer one";
    }

    private static List<String> otherVersions(Connection connection, String aggregateSchema) throws SQLException {
        List<String> schemas = new ArrayList<>();
        // A version has no "__" (Identifiers), so user schemas (SF__U1, SF_V2__U1) are left out.
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_SCHEMA FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ACCOUNTS' AND TABLE_SCHEMA <> ?"
                + " AND (TABLE_SCHEMA = 'SF' OR LEFT(TABLE_SCHEMA, 3) = 'SF_') AND LOCATE('__', TABLE_SCHEMA) = 0"
                + " ORDER BY TABLE_SCHEMA")) {
            statement.setString(1, aggregateSchema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        return schemas;
    }

    private static String versionOf(String schema) {
        return schema.equals("SF") ? "no version" : "version \"" + schema.substring(3) + "\"";
    }

    private static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
