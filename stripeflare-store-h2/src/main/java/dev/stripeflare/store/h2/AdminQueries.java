package dev.stripeflare.store.h2;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The admin queries as a Jdbi SQL object; read-only, over the aggregate schema. */
interface AdminQueries {

    @SqlQuery("SELECT USER_ID, BALANCE, EMAIL, CREATED_AT FROM ACCOUNTS"
            + " ORDER BY BALANCE DESC, USER_ID FETCH FIRST :limit ROWS ONLY")
    List<AccountBalance> usersByBalance(@Bind("limit") int limit);

    @SqlQuery("SELECT CAST(COALESCE(SUM(BALANCE), 0) AS BIGINT) FROM ACCOUNTS")
    long totalBalanceCents();

    @SqlQuery("SELECT COUNT(*) FROM ACCOUNTS")
    long userCount();

    @SqlQuery("SELECT UTC_DAY, CAST(SUM(CREDITS) AS BIGINT), CAST(SUM(DEBITS) AS BIGINT), CAST(SUM(ENTRIES) AS BIGINT)"
            + " FROM DAILY_TOTALS WHERE UTC_DAY >= :from AND UTC_DAY <= :to GROUP BY UTC_DAY HAVING SUM(ENTRIES) > 0 ORDER BY UTC_DAY")
    List<DailyTotal> totalsPerDay(@Bind("from") LocalDate from, @Bind("to") LocalDate to);
}
