package dev.stripeflare.store.h2;

import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Configures each connection's Jdbi: explicit plugins, exact timestamps, the admin row types. */
final class JdbiSetup {

    private JdbiSetup() {
    }

    static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new ExactLocalDateTime());
        jdbi.registerRowMapper(AccountBalance.class, (rs, ctx) -> new AccountBalance(
                rs.getLong("USER_ID"), rs.getLong("BALANCE"), rs.getString("EMAIL"),
                Sql.fromDb(rs.getObject("CREATED_AT", LocalDateTime.class))));
        jdbi.registerRowMapper(DailyTotal.class, (rs, ctx) -> new DailyTotal(
                rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        return jdbi;
    }

    /**
     * Binds LocalDateTime with setObject. Jdbi's default goes through java.sql.Timestamp and the
     * JVM's time zone, which shifts wall-clock times that fall into a DST gap.
     */
    private static final class ExactLocalDateTime extends AbstractArgumentFactory<LocalDateTime> {
        ExactLocalDateTime() {
            super(Types.TIMESTAMP);
        }

        @Override
        protected Argument build(LocalDateTime value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setObject(position, value);
        }
    }
}
