package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Brings the aggregate schema up to date: repairs what an interrupted {@code ALTER TABLE} left
 * ({@link MigrationRecovery}), creates the built-in tables, upgrades the store schema, then runs
 * each application migration not yet recorded in MIGRATIONS.
 *
 * <p>H2 commits every DDL statement on its own, so a process killed during a migration leaves
 * some of its steps done and the migration unrecorded. Every step therefore checks before it
 * changes anything and is skipped when already done: a column that exists with the declared
 * type, a user schema or table that exists. The next open finishes the migration and records it
 * once. A step that fails is undone (this attempt's steps, backwards) and the exception says
 * what was undone and what state the database is in.
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

    /** The ids of the application migrations, in order. */
    List<String> ids() {
        return migrations.stream().map(AppMigration::id).toList();
    }

    void migrate(Handle handle, String aggregateSchema) {
        MigrationRecovery.recover(handle, aggregateSchema);
        for (String statement : BuiltInSchema.STATEMENTS) {
            handle.execute(statement);
        }
        handle.commit();
        upgradeStoreSchema(handle);
        Set<String> applied = new HashSet<>(handle.createQuery("SELECT ID FROM MIGRATIONS")
                .mapTo(String.class).list());
        int order = handle.createQuery("SELECT COALESCE(MAX(APPLIED_ORDER), 0) FROM MIGRATIONS")
                .mapTo(Integer.class).one();
        handle.rollback();
        List<AppMigration.UserTable> tablesSoFar = new ArrayList<>();
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
     * the new version number, in one transaction (a crash leaves the old number and reruns them;
     * each step is written to be run again). {@link SchemaGuard} has refused a newer version
     * before anything ran; the check here only keeps this method safe on its own.
     */
    private static void upgradeStoreSchema(Handle handle) {
        int recorded = handle.createQuery("SELECT COALESCE(MAX(VERSION), 1) FROM STORE_SCHEMA")
                .mapTo(Integer.class).one();
        if (recorded > BuiltInSchema.VERSION) {
            throw new StoreException(SchemaGuard.newerSchemaMessage(recorded));
        }
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
                step = "ALTER TABLE ACCOUNTS ADD COLUMN " + Identifiers.quoted(column.column()) + " "
                        + column.sqlType();
                addColumn(handle, column, step, undo);
            } else if (migration instanceof AppMigration.UserTable table) {
                step = "list users for table " + table.table();
                List<Long> users = handle.createQuery("SELECT USER_ID FROM ACCOUNTS ORDER BY USER_ID")
                        .mapTo(Long.class).list();
                Set<String> schemas = userSchemas.existing(handle);
                Set<String> withTable = userSchemas.holding(handle, table.table());
                handle.rollback();
                for (long userId : users) {
                    String schema = userSchemas.nameOf(userId);
                    step = "create table " + table.table() + " for user " + userId;
                    if (!schemas.contains(schema)) {
                        undo.push("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                        userSchemas.create(handle, userId, tables);
                    } else if (!withTable.contains(schema)) {
                        undo.push("DROP TABLE IF EXISTS " + schema + "." + Identifiers.quoted(table.table()));
                        userSchemas.create(handle, userId, tables);
                    }
                }
            }
            step = "record migration as applied";
            handle.execute("INSERT INTO MIGRATIONS (ID, APPLIED_ORDER) VALUES (?, ?)", migration.id(), order);
            handle.commit();
        } catch (RuntimeException e) {
            throw failed(handle, migration, step, undo, e);
        }
    }

    /**
     * Adds the column unless an earlier, interrupted run of this migration already did: H2 may
     * have committed the {@code ALTER} and died before the migration was recorded.
     */
    private static void addColumn(Handle handle, AppMigration.UserColumn column, String alter, Deque<String> undo) {
        Optional<Map<String, Object>> existing = ColumnProbe.existing(handle, "ACCOUNTS", column.column());
        if (existing.isEmpty()) {
            handle.execute(alter);
            undo.push("ALTER TABLE ACCOUNTS DROP COLUMN IF EXISTS " + Identifiers.quoted(column.column()));
            return;
        }
        Map<String, Object> declared = ColumnProbe.declared(handle, column.column(), column.sqlType());
        if (!declared.equals(existing.get())) {
            throw new StoreException("ACCOUNTS already has a column " + Identifiers.quoted(column.column())
                    + " that differs from the declared '" + column.sqlType() + "' (it is " + existing.get()
                    + "); another migration made it, or this one was changed after it ran");
        }
    }

    private static MigrationFailure failed(Handle handle, AppMigration migration, String step, Deque<String> undo,
            RuntimeException cause) {
        try {
            handle.rollback();
        } catch (RuntimeException ignored) {
            // the undo below is what restores the database
        }
        int steps = undo.size();
        int undone = 0;
        String undoFailure = null;
        for (String statement : undo) {
            try {
                handle.execute(statement);
                handle.commit();
                undone++;
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                undoFailure = "'" + statement + "' failed (" + e.getMessage() + ")";
                break;
            }
        }
        String state;
        if (steps == 0) {
            state = "This attempt had changed nothing, so nothing was undone";
        } else if (undoFailure == null) {
            state = "This attempt's " + steps + " step(s) were undone (first: '" + undo.peekFirst() + "')";
        } else {
            state = "Undoing it stopped after " + undone + " of " + steps + " step(s): " + undoFailure
                    + "; the database keeps part of this migration. A file store puts back, at the next open, the"
                    + " copy of the file it took before migrating; a store on an application's DataSource reuses"
                    + " the part (every step skips what is already done)";
        }
        return new MigrationFailure("migration '" + migration.id() + "' failed at step '" + step + "': "
                + cause.getMessage() + ". " + state + ". It is not recorded as applied and runs again at the"
                + " next open; the migrations before it are applied and recorded.", undoFailure == null, cause);
    }
}
