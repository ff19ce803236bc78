package dev.stripeflare.store.h2;

import java.util.Objects;

/**
 * A change the application makes to the store's schema, applied once (by {@link #id()}) when the
 * store opens, in the order given to {@link H2UserStore.Builder#migration(AppMigration)}. The
 * list is append-only: never change or remove a migration that ran.
 *
 * <p>Every step checks before it changes anything (a column that exists with the declared type,
 * a user schema or table that exists, is left as it is), so a migration interrupted by a crash or
 * a kill is finished and recorded once at the next open; a file store also restores the copy of
 * the file it took before migrating. A migration that fails is undone step by step and the store
 * fails to open with a {@link dev.stripeflare.StoreException} naming the migration and the step,
 * what was undone and what state the database is in.
 */
public sealed interface AppMigration {

    /**
     * The id under which this migration is recorded as applied; unique per store.
     *
     * @return the id
     */
    String id();

    /**
     * Adds a column to the users table. Its value appears in
     * {@link dev.stripeflare.spi.UserRecord#customFields()} under {@code column} (absent while null).
     *
     * @param id      the migration id
     * @param column  a letter then letters, digits or underscores, at most 64
     * @param sqlType an H2 column type with optional default, e.g. {@code "VARCHAR(20) DEFAULT 'free'"}
     * @return the migration
     */
    static AppMigration userColumn(String id, String column, String sqlType) {
        return new UserColumn(id, column, sqlType);
    }

    /**
     * Adds a table to every user's own schema, existing users' and new ones'.
     *
     * @param id                the migration id
     * @param table             a letter then letters, digits or underscores, at most 64
     * @param columnDefinitions what goes between the parentheses of {@code CREATE TABLE},
     *                          e.g. {@code "id BIGINT PRIMARY KEY, body VARCHAR"}
     * @return the migration
     */
    static AppMigration userTable(String id, String table, String columnDefinitions) {
        return new UserTable(id, table, columnDefinitions);
    }

    /** See {@link AppMigration#userColumn}. */
    record UserColumn(String id, String column, String sqlType) implements AppMigration {
        /**
         * Checks the names.
         *
         * @param id      the migration's id
         * @param column  the new column's name
         * @param sqlType its SQL type and default
         */
        public UserColumn {
            Identifiers.requireId(id);
            Identifiers.requireIdentifier(column, "column");
            Objects.requireNonNull(sqlType, "sqlType");
            if (sqlType.isBlank() || sqlType.contains(";")) {
                throw new IllegalArgumentException("sqlType must be one column type, was: " + sqlType);
            }
        }
    }

    /** See {@link AppMigration#userTable}. */
    record UserTable(String id, String table, String columnDefinitions) implements AppMigration {
        /**
         * Checks the names.
         *
         * @param id                the migration's id
         * @param table             the new table's name
         * @param columnDefinitions its column definitions
         */
        public UserTable {
            Identifiers.requireId(id);
            Identifiers.requireIdentifier(table, "table");
            Objects.requireNonNull(columnDefinitions, "columnDefinitions");
            if (columnDefinitions.isBlank() || columnDefinitions.contains(";")) {
                throw new IllegalArgumentException("columnDefinitions must be one column list, was: "
                        + columnDefinitions);
            }
        }
    }
}
