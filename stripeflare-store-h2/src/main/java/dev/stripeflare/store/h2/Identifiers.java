package dev.stripeflare.store.h2;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Name rules, and the schema names derived from the version and the stable user id. */
final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_]{0,32}");

    private Identifiers() {
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
            throw new IllegalArgumentException(what + " must be a letter then letters, digits or"
                    + " underscores (at most 64), was: " + name);
        }
    }

    static boolean isValidVersion(String version) {
        return VERSION.matcher(version).matches() && !version.contains("__");
    }

    /** The aggregate schema: {@code SF} or {@code SF_<VERSION>}, so a new version starts empty. */
    static String aggregateSchema(String version) {
        return version.isEmpty() ? "SF" : "SF_" + version.toUpperCase(Locale.ROOT);
    }

    /** A user's own schema, named from the stable id (never from a token). */
    static String userSchema(String aggregateSchema, long userId) {
        return userSchemaPrefix(aggregateSchema) + userId;
    }

    static String userSchemaPrefix(String aggregateSchema) {
        return aggregateSchema + "__U";
    }

    static String quoted(String identifier) {
        return '"' + identifier + '"';
    }
}
