package dev.stripeflare.demo;

import dev.stripeflare.store.postgres.PostgresUserStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the demo runs, from {@code --name=value} arguments first, then environment variables. A
 * malformed setting is an {@link IllegalArgumentException} naming it (never quoting a secret).
 *
 * @param host       the interface to listen on ({@code --host}, {@code HOST}; default
 *                   {@code 127.0.0.1}: the demo is for this machine)
 * @param port       the port ({@code --port}, {@code PORT}; default 8080; 0 picks a free one)
 * @param dataDir    where the H2 store keeps its files ({@code --data}, {@code DATA_DIR}; default
 *                   {@code data})
 * @param stripeKeys the real Stripe settings, or empty for test mode
 * @param devCookies whether the cookie leaves off {@code Secure}/{@code Domain}
 *                   ({@code DEV_COOKIES}; default: on in test mode, off with real keys)
 * @param database   the PostgreSQL database to keep the wallet in ({@code --jdbc-url},
 *                   {@code DATABASE_URL}; {@code --db-schema}, {@code DATABASE_SCHEMA}), or empty
 *                   for the H2 file store in {@code dataDir} (the default)
 */
record DemoConfig(String host, int port, Path dataDir, Optional<StripeKeys> stripeKeys, boolean devCookies,
                  Optional<Database> database) {

    static final List<String> KEY_VARIABLES =
            List.of("STRIPE_SECRET", "STRIPE_WEBHOOK_SIGNING_SECRET", "STRIPE_PAYMENT_LINK", "DB_SECRET");

    DemoConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(stripeKeys, "stripeKeys");
        Objects.requireNonNull(database, "database");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /** On the H2 file store in {@code dataDir}. */
    DemoConfig(String host, int port, Path dataDir, Optional<StripeKeys> stripeKeys, boolean devCookies) {
        this(host, port, dataDir, stripeKeys, devCookies, Optional.empty());
    }

    /**
     * A PostgreSQL database for the wallet: a JDBC URL ({@code jdbc:postgresql://…}, user and
     * password as URL parameters if needed) and the schema the store's tables go into (created
     * when missing). {@link #toString()} shows the URL without its parameters and user info, so
     * a password never reaches a log.
     */
    record Database(String jdbcUrl, String schema) {
        private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

        Database {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(schema, "schema");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                int colon = jdbcUrl.indexOf(':');
                throw new IllegalArgumentException("DATABASE_URL / --jdbc-url must be a PostgreSQL JDBC URL"
                        + " (jdbc:postgresql://host:5432/db?user=…), was one starting "
                        + (colon < 0 ? "without a scheme" : "with " + jdbcUrl.substring(0, colon + 1)));
            }
            if (!SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("DATABASE_SCHEMA / --db-schema must be a lower-case identifier"
                        + " ([a-z_][a-z0-9_]*), was " + schema);
            }
        }

        /** The URL up to its parameters, without user info: safe to print. */
        String redactedUrl() {
            String url = jdbcUrl;
            int query = url.indexOf('?');
            if (query >= 0) {
                url = url.substring(0, query);
            }
            int at = url.lastIndexOf('@');
            if (at >= 0) {
                url = "jdbc:postgresql://" + url.substring(at + 1);
            }
            return url;
        }

        @Override
        public String toString() {
            return "Database[" + redactedUrl() + ", schema=" + schema + "]";
        }
    }

    /** Real Stripe settings, all four present (the values are secrets: never printed). */
    record StripeKeys(String secretKey, String webhookSigningSecret, String paymentLink, String dbSecret) {
        @Override
        public String toString() {
            return "StripeKeys[<redacted>]";
        }
    }

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    boolean testMode() {
        return stripeKeys.isEmpty();
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming each malformed argument, or the Stripe variables
     *                                  missing when only some are set
     */
    static DemoConfig from(String[] args, Map<String, String> env) {
        String host = option(args, "host").or(() -> nonBlank(env.get("HOST"))).orElse("127.0.0.1");
        String portText = option(args, "port").or(() -> nonBlank(env.get("PORT"))).orElse("8080");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number, was " + portText);
        }
        Path data = Path.of(option(args, "data").or(() -> nonBlank(env.get("DATA_DIR"))).orElse("data"));
        List<String> missing = new ArrayList<>();
        for (String name : KEY_VARIABLES) {
            if (nonBlank(env.get(name)).isEmpty()) {
                missing.add(name);
            }
        }
        Optional<StripeKeys> keys;
        if (missing.size() == KEY_VARIABLES.size()) {
            keys = Optional.empty();
        } else if (missing.isEmpty()) {
            keys = Optional.of(new StripeKeys(env.get("STRIPE_SECRET"), env.get("STRIPE_WEBHOOK_SIGNING_SECRET"),
                    env.get("STRIPE_PAYMENT_LINK"), env.get("DB_SECRET")));
        } else {
            throw new IllegalArgumentException("set all four Stripe variables or none (none means test mode); missing: "
                    + String.join(", ", missing));
        }
        // Test mode lets anyone pay with the simulated checkout: a demo left without its Stripe
        // variables must not offer that to the network (found by review).
        if (keys.isEmpty() && !LOOPBACK.contains(host)) {
            throw new IllegalArgumentException("test mode (no Stripe variables set) listens on the loopback interface only,"
                    + " not " + host + ": set HOST=127.0.0.1, or all four Stripe variables for live mode");
        }
        boolean devCookies = nonBlank(env.get("DEV_COOKIES")).map(Boolean::parseBoolean).orElse(keys.isEmpty());
        Optional<String> schema = option(args, "db-schema").or(() -> nonBlank(env.get("DATABASE_SCHEMA")));
        Optional<Database> database = option(args, "jdbc-url").or(() -> nonBlank(env.get("DATABASE_URL")))
                .map(url -> new Database(url, schema.orElse(PostgresUserStore.DEFAULT_SCHEMA)));
        if (database.isEmpty() && schema.isPresent()) {
            throw new IllegalArgumentException("DATABASE_SCHEMA / --db-schema needs DATABASE_URL / --jdbc-url");
        }
        return new DemoConfig(host, port, data, keys, devCookies, database);
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
