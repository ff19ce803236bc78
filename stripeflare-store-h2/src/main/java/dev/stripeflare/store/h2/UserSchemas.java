package dev.stripeflare.store.h2;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Each user's own schema, holding the per-user tables the application declared. A schema exists
 * only when there are such tables; it is complete before the account that owns it is committed,
 * and dropped only after that account is gone. H2 commits DDL on its own, so these steps cannot
 * share the account's transaction; a crash between them leaves a schema without an account,
 * which {@link #dropOrphans} removes on the next open. An account therefore never sees a
 * half-made schema.
 */
final class UserSchemas {

    private final String aggregateSchema;
    private final List<AppMigration.UserTable> tables;

    UserSchemas(String aggregateSchema, List<AppMigration.UserTable> tables) {
        this.aggregateSchema = aggregateSchema;
        this.tables = List.copyOf(tables);
    }

    /** Whether users get a schema at all. */
    boolean enabled() {
        return !tables.isEmpty();
    }

    String nameOf(long userId) {
        return Identifiers.userSchema(aggregateSchema, userId);
    }

    /** Creates the user's schema with every declared table; idempotent. Commits. */
    void create(Handle handle, long userId) {
        create(handle, userId, tables);
    }

    void create(Handle handle, long userId, List<AppMigration.UserTable> upTo) {
        String schema = nameOf(userId);
        handle.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        for (AppMigration.UserTable table : upTo) {
            handle.execute(createTable(schema, table));
        }
        handle.commit();
    }

    static String createTable(String schema, AppMigration.UserTable table) {
        return "CREATE TABLE IF NOT EXISTS " + schema + "." + Identifiers.quoted(table.table())
                + " (" + table.columnDefinitions() + ")";
    }

    /** The names of every user schema that exists. */
    Set<String> existing(Handle handle) {
        String prefix = Identifiers.userSchemaPrefix(aggregateSchema);
        return new HashSet<>(handle.createQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA"
                        + " WHERE LEFT(SCHEMA_NAME, ?) = ?")
                .bind(0, prefix.length()).bind(1, prefix).mapTo(String.class).list());
    }

    /** The names of the user schemas that hold {@code table}. */
    Set<String> holding(Handle handle, String table) {
        String prefix = Identifiers.userSchemaPrefix(aggregateSchema);
        return new HashSet<>(handle.createQuery("SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_NAME = ? AND LEFT(TABLE_SCHEMA, ?) = ?")
                .bind(0, table).bind(1, prefix.length()).bind(2, prefix).mapTo(String.class).list());
    }

    /** Drops the user's schema and everything in it; idempotent. Commits. */
    void drop(Handle handle, long userId) {
        handle.execute("DROP SCHEMA IF EXISTS " + nameOf(userId) + " CASCADE");
        handle.commit();
    }

    /** Drops every user schema whose account does not exist (left by a crash); returns how many. */
    int dropOrphans(Handle handle) {
        String prefix = Identifiers.userSchemaPrefix(aggregateSchema);
        List<String> names = handle.createQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA"
                        + " WHERE LEFT(SCHEMA_NAME, ?) = ?")
                .bind(0, prefix.length()).bind(1, prefix).mapTo(String.class).list();
        List<String> orphans = new ArrayList<>();
        for (String name : names) {
            String id = name.substring(prefix.length());
            boolean owned = id.chars().allMatch(Character::isDigit) && !id.isEmpty()
                    && handle.createQuery("SELECT COUNT(*) FROM ACCOUNTS WHERE USER_ID = ?")
                            .bind(0, Long.parseLong(id)).mapTo(Integer.class).one() > 0;
            if (!owned) {
                orphans.add(name);
            }
        }
        handle.rollback();
        for (String name : orphans) {
            handle.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
        handle.commit();
        return orphans.size();
    }
}
