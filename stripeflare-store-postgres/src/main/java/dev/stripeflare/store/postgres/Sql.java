package dev.stripeflare.store.postgres;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.postgresql.util.PSQLException;

/**
 * SQL text of one schema, SQLSTATE checks and instant conversions. Statements are written with
 * {@code @} before each table name; {@link #of} puts the quoted schema there, so every statement
 * names its tables exactly and never depends on a connection's {@code search_path}. Immutable.
 */
final class Sql {

    /** Unique violation. */
    static final String UNIQUE_VIOLATION = "23505";
    /** A number does not fit its column: a balance beyond a {@code bigint}. */
    static final String NUMERIC_OUT_OF_RANGE = "22003";
    /** Serialization failure (REPEATABLE READ / SERIALIZABLE). */
    static final String SERIALIZATION_FAILURE = "40001";
    /** Deadlock detected: PostgreSQL aborted one of the transactions. */
    static final String DEADLOCK = "40P01";

    private final String prefix;
    private final String schema;

    Sql(String schema) {
        this.schema = schema;
        this.prefix = quote(schema) + ".";
    }

    /** The schema's name, unquoted. */
    String schema() {
        return schema;
    }

    /** {@code template} with every {@code @} replaced by the quoted schema and a dot. */
    String of(String template) {
        return template.replace("@", prefix);
    }

    /** A PostgreSQL quoted identifier. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The SQLSTATE of the first {@link SQLException} in {@code e}'s causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /**
     * The message of the first {@link SQLException} in {@code e}'s causes, else {@code e}'s. Of a
     * server error only the primary message and SQLSTATE: its detail can quote row values (a
     * token hash, an email), which must not reach logs through exception messages.
     */
    static String detail(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getMessage() + " (SQLSTATE " + p.getSQLState() + ")";
            }
            if (t instanceof SQLException s) {
                return s.getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** Instants go to {@code timestamptz} (microseconds: PostgreSQL's precision). */
    static OffsetDateTime toDb(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant fromDb(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /**
     * Jdbi binds {@link Instant} arguments as {@code timestamptz} through {@link #toDb} and
     * strings through {@link #text}, and its exception messages leave out statements and bound
     * arguments (token hashes, emails).
     */
    static Jdbi configure(Jdbi jdbi) {
        jdbi.registerArgument(new InstantArgument());
        jdbi.registerArgument(new TextArgument());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return jdbi;
    }

    /**
     * {@code value} as PostgreSQL can store it: {@code text} cannot hold U+0000, so each is
     * replaced by U+FFFD. Otherwise a payer's name with a NUL in it (the payer types it at
     * Stripe) would fail its credit on every delivery. Every other character is kept exactly.
     */
    static String text(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }

    private static final class TextArgument extends AbstractArgumentFactory<String> {
        TextArgument() {
            super(Types.VARCHAR);
        }

        @Override
        protected Argument build(String value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setString(position, text(value));
        }
    }

    private static final class InstantArgument extends AbstractArgumentFactory<Instant> {
        InstantArgument() {
            super(Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setObject(position, toDb(value));
        }
    }
}
