package dev.stripeflare.store.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

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

    /** The id under which this migration is recorded as applied; unique per store. */
    String id();

    /**
     * Adds a column to the accounts table. Its value appears in
     * {@link dev.stripeflare.spi.UserRecord#customFields()} under {@code column} (absent while null).
     *
     * @param id      the migration id
     * @param column  a lower-case letter then lower-case letters, digits or underscores, at most 63
     * @param sqlType a PostgreSQL column type with optional default, e.g. {@code "text DEFAULT 'free'"}
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
     * @param table             as {@code column} above
     * @param columnDefinitions the other columns, as between the parentheses of {@code CREATE
     *                          TABLE}, e.g. {@code "note_id bigint, body text"}
     */
    static AppMigration userTable(String id, String table, String columnDefinitions) {
        return new UserTable(id, table, columnDefinitions);
    }

    /** See {@link AppMigration#userColumn}. */
    record UserColumn(String id, String column, String sqlType) implements AppMigration {
        public UserColumn {
            Names.requireId(id);
            Names.requireIdentifier(column, "column");
            Names.requireOneClause(sqlType, "sqlType");
        }
    }

    /** See {@link AppMigration#userTable}. */
    record UserTable(String id, String table, String columnDefinitions) implements AppMigration {
        public UserTable {
            Names.requireId(id);
            Names.requireIdentifier(table, "table");
            Names.requireOneClause(columnDefinitions, "columnDefinitions");
        }
    }

    /** Checks of the names and clauses a migration carries. */
    final class Names {
        private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

        private Names() {
        }

        static void requireId(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isBlank() || id.length() > 200) {
                throw new IllegalArgumentException("a migration id is 1..200 non-blank characters");
            }
        }

        static void requireIdentifier(String name, String what) {
            Objects.requireNonNull(name, what);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException(what + " must be a lower-case letter then lower-case letters,"
                        + " digits or underscores (at most 63), was: " + name);
            }
        }

        static void requireOneClause(String clause, String what) {
            Objects.requireNonNull(clause, what);
            if (clause.isBlank() || clause.contains(";") || clause.contains("--") || clause.contains("/*")) {
                throw new IllegalArgumentException(what + " must be one clause without ';' or comments, was: " + clause);
            }
        }
    }
}
