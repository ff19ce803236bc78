package dev.stripeflare.store.h2;

import java.time.LocalDateTime;
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

    @SqlQuery("SELECT CAST(AT AS DATE), CAST(SUM(CASE WHEN AMOUNT > 0 THEN AMOUNT ELSE 0 END) AS BIGINT),"
            + " CAST(SUM(CASE WHEN AMOUNT < 0 THEN -AMOUNT ELSE 0 END) AS BIGINT), COUNT(*)"
            + " FROM LEDGER WHERE AT >= :from AND AT < :until GROUP BY CAST(AT AS DATE) ORDER BY 1")
    List<DailyTotal> totalsPerDay(@Bind("from") LocalDateTime from, @Bind("until") LocalDateTime until);
}
