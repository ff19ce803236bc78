package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreChoiceTest {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Test
    void withoutAUrlItIsH2InTheFolderArgumentOrANewTemporaryOne(@TempDir Path folder) throws Exception {
        StoreChoice given = StoreChoice.from(new String[] {folder.toString()}, Map.of()).withFolder();
        assertThat(given.jdbcUrl()).isEmpty();
        assertThat(given.folder()).hasValue(folder);
        assertThat(given.describe()).startsWith("H2 file store: ").contains(folder.toString());

        StoreChoice fresh = StoreChoice.from(new String[0], Map.of()).withFolder();
        assertThat(fresh.folder()).isPresent().isNotEqualTo(Optional.of(folder));
    }

    @Test
    void aJdbcUrlArgumentWinsOverTheEnvironmentAndIsDescribedWithoutItsPassword() {
        StoreChoice choice = StoreChoice.from(new String[] {"--jdbc-url=jdbc:postgresql://db/app?user=a&password=pw1"},
                Map.of("DATABASE_URL", "jdbc:postgresql://other/x", "DATABASE_SCHEMA", "qs_1"));
        assertThat(choice.jdbcUrl()).hasValue("jdbc:postgresql://db/app?user=a&password=pw1");
        assertThat(choice.schema()).isEqualTo("qs_1");
        assertThat(choice.describe()).contains("jdbc:postgresql://db/app", "qs_1").doesNotContain("pw1");

        StoreChoice fromEnv = StoreChoice.from(new String[0], Map.of("DATABASE_URL", "jdbc:postgresql://other/x"));
        assertThat(fromEnv.jdbcUrl()).hasValue("jdbc:postgresql://other/x");
        assertThat(fromEnv.schema()).startsWith("quickstart_")
                .isNotEqualTo(StoreChoice.from(new String[0], Map.of()).schema());
    }

    @Test
    void aUrlThatIsNotAPostgresJdbcUrlIsRefusedWithoutQuotingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StoreChoice.from(new String[0], Map.of("DATABASE_URL", "postgres://u:secret@db/app")))
                .withMessageContaining("DATABASE_URL")
                .matches(e -> !e.getMessage().contains("secret"), "does not quote the URL");
    }

    /**
     * The whole story on PostgreSQL, in a fresh schema dropped afterwards. Skipped loudly without
     * a server; under CI ({@code CI=true} or {@code STRIPEFLARE_PG_REQUIRED=true}) a failure.
     */
    @Test
    void theStoryRunsEndToEndOnPostgres() throws Exception {
        String url = System.getenv("STRIPEFLARE_PG_URL");
        url = url == null || url.isBlank() ? DEFAULT_URL : url;
        requireServer(url);
        StoreChoice choice = StoreChoice.from(new String[] {"--jdbc-url=" + url}, Map.of());
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            QuickStart.run(choice.open(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains("return  → LINKED, balance 625 cents")
                    .contains("sum of ledger: 725, balance: 725");
        } finally {
            try (Connection connection = DriverManager.getConnection(url); Statement s = connection.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + choice.schema() + " CASCADE");
            }
        }
    }

    private static void requireServer(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(5);
        } catch (SQLException e) {
            String message = "SKIPPED: StoreChoiceTest on PostgreSQL — no server at " + url.replaceAll("\\?.*", "")
                    + " (" + e.getMessage() + "). Start one (e.g. `pg_ctlcluster --skip-systemctl-redirect"
                    + " $(ls /etc/postgresql) main start`) or set STRIPEFLARE_PG_URL.";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))
                    || "true".equalsIgnoreCase(System.getenv("STRIPEFLARE_PG_REQUIRED"))) {
                Assertions.fail("CI=true or STRIPEFLARE_PG_REQUIRED=true: the PostgreSQL tests must run, but " + message);
            }
            Assumptions.abort(message);
        }
    }
}
