package dev.stripeflare.store.h2;

import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link MigrationCrashTest}: opens a store file with the migrations of one
 * kind, printing {@code MIGRATING} just before and {@code DONE <millis>} after the migrations
 * ran, then closes it. The parent kills it with SIGKILL somewhere in between.
 */
public final class MigrationCrashChild {

    /** Two user columns on every account (each an H2 table copy of ACCOUNTS). */
    static final List<AppMigration> COLUMNS = List.of(
            AppMigration.userColumn("1-plan", "plan", "VARCHAR(20) DEFAULT 'free'"),
            AppMigration.userColumn("2-score", "score", "INT"));

    /** Two user tables in every account's own schema. */
    static final List<AppMigration> TABLES = List.of(
            AppMigration.userTable("1-notes", "notes", "id BIGINT PRIMARY KEY, body VARCHAR"),
            AppMigration.userTable("2-tags", "tags", "tag VARCHAR(40) PRIMARY KEY"));

    private MigrationCrashChild() {
    }

    static H2UserStore open(Path file, String kind) {
        H2UserStore.Builder builder = H2UserStore.builder().file(file);
        (kind.equals("columns") ? COLUMNS : TABLES).forEach(builder::migration);
        return builder.build();
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        System.out.println("MIGRATING");
        System.out.flush();
        long start = System.nanoTime();
        H2UserStore store = open(file, args[1]);
        System.out.println("DONE " + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        store.close();
    }
}
