package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Brings the aggregate schema up to date: the built-in tables, then each application migration
 * not yet recorded in MIGRATIONS. H2 commits every DDL statement on its own, so an application
 * migration keeps an undo action per step and, if a step fails, runs them backwards: the
 * database is left as it was and the exception names the migration and the step.
 */
final class Migrator {

    private final List<AppMigration> migrations;
    private final UserSchemas userSchemas;

    Migrator(List<AppMigration> migrations, UserSchemas userSchemas) {
        this.migrations = List.copyOf(migrations);
        this.userSchemas = userSchemas;
        Set<String> ids = new HashSet<>();
        for (AppMigration m : migrations) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("migration id used twice: " + m.id());
            }
        }
    }

    void migrate(Handle handle) {
        for (String statement : BuiltInSchema.STATEMENTS) {
            handle.execute(statement);
        }
        handle.commit();
        upgradeStoreSchema(handle);
        Set<String> applied = new HashSet<>(handle.createQuery("SELECT ID FROM MIGRATIONS")
                .mapTo(String.class).list());
        handle.rollback();
        List<AppMigration.UserTable> tablesSoFar = new ArrayList<>();
        int order = applied.size();
        for (AppMigration migration : migrations) {
            if (migration instanceof AppMigration.UserTable table) {
                tablesSoFar.add(table);
            }
            if (!applied.contains(migration.id())) {
                apply(handle, migration, List.copyOf(tablesSoFar), ++order);
            }
        }
    }

    /**
     * Runs the one-time steps of each store schema version above the recorded one, together with
     * the new version number, in one transaction (a crash leaves the old number and reruns them).
     */
    private static void upgradeStoreSchema(Handle handle) {
        int recorded = handle.createQuery("SELECT COALESCE(MAX(VERSION), 1) FROM STORE_SCHEMA")
                .mapTo(Integer.class).one();
        if (recorded < 2) {
            for (String statement : BuiltInSchema.UPGRADE_TO_2) {
                handle.execute(statement);
            }
        }
        if (recorded < 3) {
            for (String statement : BuiltInSchema.UPGRADE_TO_3) {
                handle.execute(statement);
            }
        }
        if (recorded < BuiltInSchema.VERSION) {
            handle.execute("DELETE FROM STORE_SCHEMA");
            handle.execute("INSERT INTO STORE_SCHEMA (VERSION) VALUES (?)", BuiltInSchema.VERSION);
        }
        handle.commit();
    }

    private void apply(Handle handle, AppMigration migration, List<AppMigration.UserTable> tables, int order) {
        Deque<String> undo = new ArrayDeque<>();
        String step = "start";
        try {
            if (migration instanceof AppMigration.UserColumn column) {
                String name = Identifiers.quoted(column.column());
                step = "ALTER TABLE ACCOUNTS ADD COLUMN " + name + " " + column.sqlType();
                handle.execute(step);
                undo.push("ALTER TABLE ACCOUNTS DROP COLUMN IF EXISTS " + name);
            } else if (migration instanceof AppMigration.UserTable table) {
                List<Long> users = handle.createQuery("SELECT USER_ID FROM ACCOUNTS ORDER BY USER_ID")
                        .mapTo(Long.class).list();
                handle.rollback();
                for (long userId : users) {
                    String schema = userSchemas.nameOf(userId);
                    step = "create table " + table.table() + " for user " + userId;
                    if (!userSchemas.exists(handle, userId)) {
                        undo.push("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                        userSchemas.create(handle, userId, tables);
                    } else {
                        undo.push("DROP TABLE IF EXISTS " + schema + "." + Identifiers.quoted(table.table()));
                        handle.execute(UserSchemas.createTable(schema, table));
                    }
                }
            }
            step = "record migration as applied";
            handle.execute("INSERT INTO MIGRATIONS (ID, APPLIED_ORDER) VALUES (?, ?)", migration.id(), order);
            handle.commit();
        } catch (RuntimeException e) {
            try {
                handle.rollback();
            } catch (RuntimeException ignored) {
                // the undo below is what restores the database
            }
            for (String statement : undo) {
                handle.execute(statement);
            }
            handle.commit();
            throw new StoreException("migration '" + migration.id() + "' failed at step '" + step
                    + "'; the database was left as it was: " + e.getMessage(), e);
        }
    }
}
