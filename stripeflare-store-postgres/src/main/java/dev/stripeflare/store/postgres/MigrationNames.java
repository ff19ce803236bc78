package dev.stripeflare.store.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks of the names and clauses an {@link AppMigration} carries. Stateless. */
final class MigrationNames {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private MigrationNames() {
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
