package dev.stripeflare.examples;

import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.h2.H2UserStore;
import dev.stripeflare.store.postgres.PostgresUserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which store the console example runs on, from its arguments first, then the environment:
 * PostgreSQL when given a JDBC URL ({@code --jdbc-url=jdbc:postgresql://…} or
 * {@code DATABASE_URL}), in schema {@code --db-schema=} / {@code DATABASE_SCHEMA} or else a new
 * schema {@code quickstart_<random>} (the story expects fresh accounts); otherwise an H2 file in
 * the folder given as a plain argument, or in a new temporary folder. {@link #describe()} never
 * shows the URL's parameters or user info, where a password would be.
 *
 * @param jdbcUrl the PostgreSQL URL, or empty for H2
 * @param schema  the PostgreSQL schema (unused for H2)
 * @param folder  the H2 folder, or empty for a new temporary one (unused for PostgreSQL)
 */
record StoreChoice(Optional<String> jdbcUrl, String schema, Optional<Path> folder) {

    /**
     * Reads the choice.
     *
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL (without quoting it)
     */
    static StoreChoice from(String[] args, Map<String, String> env) {
        Optional<String> url = option(args, "jdbc-url").or(() -> nonBlank(env.get("DATABASE_URL")));
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--jdbc-url / DATABASE_URL must be a PostgreSQL JDBC URL"
                        + " (jdbc:postgresql://host:5432/db?user=…)");
            }
        });
        String schema = option(args, "db-schema").or(() -> nonBlank(env.get("DATABASE_SCHEMA")))
                .orElseGet(() -> "quickstart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                        .toLowerCase(Locale.ROOT));
        Optional<Path> folder = Optional.empty();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                folder = Optional.of(Path.of(arg));
            }
        }
        return new StoreChoice(url, schema, folder);
    }

    /** This choice with a new temporary H2 folder when it is H2 without a folder; else itself. */
    StoreChoice withFolder() throws IOException {
        if (jdbcUrl.isPresent() || folder.isPresent()) {
            return this;
        }
        return new StoreChoice(jdbcUrl, schema, Optional.of(Files.createTempDirectory("stripeflare-quickstart")));
    }

    /**
     * Opens the chosen store (creating the PostgreSQL schema when missing).
     *
     * @throws IllegalStateException for H2 without a folder: call {@link #withFolder()} first
     */
    UserStore open() {
        if (jdbcUrl.isPresent()) {
            return PostgresUserStore.builder().jdbcUrl(jdbcUrl.get()).schema(schema).build();
        }
        return H2UserStore.file(h2Folder().resolve("wallet"));
    }

    /** One line saying where the wallet lives, safe to print. */
    String describe() {
        if (jdbcUrl.isPresent()) {
            String url = jdbcUrl.get().replaceAll("\\?.*", "").replaceAll("//[^/]*@", "//");
            return "PostgreSQL store: " + url + ", schema " + schema + " (drop it with DROP SCHEMA " + schema
                    + " CASCADE)";
        }
        return "H2 file store: " + h2Folder().resolve("wallet.mv.db").toAbsolutePath();
    }

    private Path h2Folder() {
        return folder.orElseThrow(() -> new IllegalStateException("no H2 folder: call withFolder() first"));
    }

    private static Optional<String> option(String[] args, String name) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return nonBlank(arg.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
