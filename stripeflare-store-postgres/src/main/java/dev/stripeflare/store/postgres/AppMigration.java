package dev.stripeflare.store.postgres;

/**
 * A change the application makes to the store's schema, applied once (by {@link #id()}) when the
 * store starts, in the order given to {@link PostgresUserStore.Builder#migration}, inside the
 * same transaction and advisory lock as the store's own migrations: several instances starting
 * at once apply it once, and a migration that fails rolls back with everything else (PostgreSQL
 * DDL is transactional), so the store fails to start with a {@link dev.stripeflare.StoreException}
 * naming it and the database is as it was. The list is append-only: never change or remove a
 * migration that ran.
 */
public sealed interface AppMigration {

    /**
     * The id under which this migration is recorded as applied; unique per store.
     *
     * @return the id
     */
    String id();

    /**
     * Adds a column to the accounts table. Its value appears in
     * {@link dev.stripeflare.spi.UserRecord#customFields()} under {@code column} (absent while null).
     *
     * @param id      the migration id
     * @param column  a lower-case letter then lower-case letters, digits or underscores, at most 63
     * @param sqlType a PostgreSQL column type with optional default, e.g. {@code "text DEFAULT 'free'"}
     * @return the migration
     */
    static AppMigration userColumn(String id, String column, String sqlType) {
        return new UserColumn(id, column, sqlType);
    }

    /**
     * Adds a per-user table: one table {@code user_<table>} whose rows belong to accounts
     * through a {@code user_id} column (indexed, deleted with the account), never a schema per
     * user.
     *
     * @param id                the migration id
     * @param table             as {@code column} above, at most 58 characters
     * @param columnDefinitions the other columns, as between the parentheses of {@code CREATE
     *                          TABLE}, e.g. {@code "note_id bigint, body text"}
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
            MigrationNames.requireId(id);
            MigrationNames.requireIdentifier(column, "column");
            MigrationNames.requireOneClause(sqlType, "sqlType");
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
            MigrationNames.requireId(id);
            MigrationNames.requireIdentifier(table, "table");
            if (table.length() > 58) {
                throw new IllegalArgumentException("table must be at most 58 characters (it becomes user_<table>), was: "
                        + table);
            }
            MigrationNames.requireOneClause(columnDefinitions, "columnDefinitions");
        }
    }
}
