package dev.stripeflare.store.h2;

import dev.stripeflare.StoreException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Repairs what a process killed inside an H2 {@code ALTER TABLE … ADD COLUMN} left behind, before
 * anything else runs at open. H2 rebuilds the table as a copy named {@code <T>_COPY_<n>_<m>}
 * (its indexes named {@code <copy>_<index>}) and commits each sub-step on its own: create the
 * copy, fill it and index it, drop {@code T}, rename the copy to {@code T}. A kill therefore
 * leaves either {@code T} untouched beside a copy, or the full copy without {@code T}. The copy's
 * name is made from the session number, which repeats after a restart, so a leftover copy made
 * the next {@code ALTER} fail for good ("Table … already exists").
 *
 * <p>A copy beside its table is dropped (the table was not yet replaced). A copy without its
 * table is renamed to it, with its indexes and constraints (the drop had committed, so the copy
 * is the only and complete data). A copy beside an <em>empty</em> table whose copy has rows is
 * the second case after an older release re-created the table empty at open; the empty table is
 * dropped and the copy restored.
 */
final class MigrationRecovery {

    private static final System.Logger LOG = System.getLogger(H2UserStore.class.getName());
    private static final Pattern COPY = Pattern.compile("(.+)_COPY_\\d+_\\d+");

    private MigrationRecovery() {
    }

    /**
     * Repairs the tables of {@code aggregateSchema} and of its users' schemas; returns one line
     * per repair (also logged at WARNING). Commits.
     *
     * @throws StoreException if a table is missing and several copies could replace it
     */
    static List<String> recover(Handle handle, String aggregateSchema) {
        String userPrefix = Identifiers.userSchemaPrefix(aggregateSchema);
        Map<String, List<String>> copiesByTable = new LinkedHashMap<>();
        handle.createQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME LIKE '%\\_COPY\\_%'"
                        + " AND (TABLE_SCHEMA = ? OR LEFT(TABLE_SCHEMA, ?) = ?) ORDER BY TABLE_SCHEMA, TABLE_NAME")
                .bind(0, aggregateSchema).bind(1, userPrefix.length()).bind(2, userPrefix)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> {
                    Matcher m = COPY.matcher(row[1]);
                    if (m.matches()) {
                        copiesByTable.computeIfAbsent(row[0] + "\u0000" + m.group(1), k -> new ArrayList<>())
                                .add(row[1]);
                    }
                });
        handle.rollback();
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : copiesByTable.entrySet()) {
            String[] key = entry.getKey().split("\u0000", 2);
            done.addAll(recover(handle, key[0], key[1], entry.getValue()));
        }
        for (String line : done) {
            LOG.log(Level.WARNING, "H2 store: repaired what an interrupted ALTER TABLE left: {0}", line);
        }
        return done;
    }

    private static List<String> recover(Handle handle, String schema, String table, List<String> copies) {
        List<String> done = new ArrayList<>();
        boolean tableExists = exists(handle, schema, table);
        String restore = null;
        if (!tableExists) {
            if (copies.size() > 1) {
                throw new StoreException("H2 store: table " + schema + "." + table + " is missing and "
                        + copies.size() + " copies left by interrupted ALTER TABLEs could replace it " + copies
                        + "; nothing was changed. Restore from a backup, or rename the right copy to " + table
                        + " by hand.");
            }
            restore = copies.get(0);
        } else if (copies.size() == 1 && rows(handle, schema, table) == 0 && rows(handle, schema, copies.get(0)) > 0) {
            handle.execute("DROP TABLE " + qualified(schema, table));
            handle.commit();
            done.add("dropped the empty " + schema + "." + table + " made after its ALTER TABLE had dropped it");
            restore = copies.get(0);
        }
        for (String copy : copies) {
            if (copy.equals(restore)) {
                rename(handle, schema, copy, table);
                done.add("restored " + schema + "." + table + " from " + copy
                        + " (the ALTER TABLE had dropped the table and not yet renamed its copy)");
            } else {
                handle.execute("DROP TABLE " + qualified(schema, copy));
                handle.commit();
                done.add("dropped " + schema + "." + copy + " (the ALTER TABLE had not yet replaced "
                        + table + "; " + table + " is unchanged)");
            }
        }
        return done;
    }

    private static void rename(Handle handle, String schema, String copy, String table) {
        String prefix = copy + "_";
        List<String> indexes = handle.createQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")
                .bind(0, schema).bind(1, copy).mapTo(String.class).list();
        List<String> constraints = handle.createQuery("SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")
                .bind(0, schema).bind(1, copy).mapTo(String.class).list();
        handle.rollback();
        handle.execute("ALTER TABLE " + qualified(schema, copy) + " RENAME TO " + Identifiers.quoted(table));
        for (String constraint : constraints) {
            if (constraint.startsWith(prefix)) {
                handle.execute("ALTER TABLE " + qualified(schema, table) + " RENAME CONSTRAINT "
                        + Identifiers.quoted(constraint) + " TO " + Identifiers.quoted(constraint.substring(prefix.length())));
            }
        }
        // An index whose original name is taken keeps the copy's name: it works the same.
        for (String index : indexes) {
            String original = index.substring(Math.min(prefix.length(), index.length()));
            if (index.startsWith(prefix) && exists(handle, "INDEXES", "INDEX_NAME", schema, index)
                    && !exists(handle, "INDEXES", "INDEX_NAME", schema, original)) {
                handle.execute("ALTER INDEX " + qualified(schema, index) + " RENAME TO "
                        + Identifiers.quoted(original));
            }
        }
        handle.commit();
    }

    private static boolean exists(Handle handle, String schema, String table) {
        return exists(handle, "TABLES", "TABLE_NAME", schema, table);
    }

    private static boolean exists(Handle handle, String view, String column, String schema, String name) {
        boolean found = handle.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA." + view
                        + " WHERE TABLE_SCHEMA = ? AND " + column + " = ?")
                .bind(0, schema).bind(1, name).mapTo(Integer.class).one() > 0;
        handle.rollback();
        return found;
    }

    private static long rows(Handle handle, String schema, String table) {
        long rows = handle.createQuery("SELECT COUNT(*) FROM " + qualified(schema, table)).mapTo(Long.class).one();
        handle.rollback();
        return rows;
    }

    private static String qualified(String schema, String name) {
        return Identifiers.quoted(schema) + "." + Identifiers.quoted(name);
    }
}
