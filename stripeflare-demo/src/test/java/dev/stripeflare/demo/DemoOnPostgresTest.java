package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on PostgreSQL ({@code --jdbc-url}), in test mode: a simulated payment tops up the
 * visitor, the paid action spends a cent, and a second demo instance on the same database sees
 * the same account. Runs against {@code -Dstripeflare.pg.url}, else env {@code STRIPEFLARE_PG_URL},
 * else {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}, in a fresh schema dropped
 * afterwards. Without a server it is skipped with a SKIPPED line; under CI ({@code CI=true} or
 * {@code STRIPEFLARE_PG_REQUIRED=true}) that is a failure instead.
 */
class DemoOnPostgresTest {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path data;

    private String url;
    private String schema;

    @BeforeEach
    void requireServer() {
        url = System.getProperty("stripeflare.pg.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("STRIPEFLARE_PG_URL");
        }
        if (url == null || url.isBlank()) {
            url = DEFAULT_URL;
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.isValid(5);
        } catch (SQLException e) {
            String message = "SKIPPED: DemoOnPostgresTest — no PostgreSQL server at " + url.replaceAll("\\?.*", "")
                    + " (" + e.getMessage() + "). Start one (e.g. `pg_ctlcluster --skip-systemctl-redirect"
                    + " $(ls /etc/postgresql) main start`) or set STRIPEFLARE_PG_URL.";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))
                    || "true".equalsIgnoreCase(System.getenv("STRIPEFLARE_PG_REQUIRED"))) {
                Assertions.fail("CI=true or STRIPEFLARE_PG_REQUIRED=true: the PostgreSQL tests must run, but " + message);
            }
            Assumptions.abort(message);
        }
        schema = "sf_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(url); Statement s = connection.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aTopUpOnOneInstanceIsSpentAndSeenThroughAnotherOnTheSameDatabase() throws Exception {
        DemoConfig config = DemoConfig.from(new String[] {"--port=0", "--data=" + data, "--jdbc-url=" + url,
                "--db-schema=" + schema}, Map.of());
        assertThat(config.database()).isPresent();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        try (DemoServer first = DemoServer.start(config); DemoServer second = DemoServer.start(config)) {
            HttpResponse<String> page = send(browser, HttpRequest.newBuilder(first.baseUri().resolve("/")).build());
            String link = page.headers().firstValue("X-PaymentLink").orElseThrow();
            String reference = link.substring(link.indexOf("client_reference_id=") + "client_reference_id=".length());
            String form = "client_reference_id=" + reference + "&amount=500&name=Ada+Lovelace"
                    + "&email=" + URLEncoder.encode("ada@example.com", StandardCharsets.UTF_8)
                    + "&card=" + URLEncoder.encode("4242 4242 4242 4242", StandardCharsets.UTF_8);
            HttpResponse<String> paid = send(browser, HttpRequest.newBuilder(first.baseUri().resolve("/simulated-checkout"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            assertThat(paid.statusCode()).as(paid.body()).isEqualTo(302);
            URI returnUrl = first.baseUri().resolve(paid.headers().firstValue("Location").orElseThrow());
            assertThat(send(browser, HttpRequest.newBuilder(returnUrl).build()).statusCode()).isEqualTo(303);

            HttpResponse<String> action = send(browser, HttpRequest.newBuilder(first.baseUri().resolve("/api/paid"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(action.statusCode()).isEqualTo(200);
            assertThat(action.headers().firstValue("X-Balance")).hasValue("502");

            // Cookies are per host, not per port: the same browser reaches the other instance.
            HttpResponse<String> me = send(browser, HttpRequest.newBuilder(second.baseUri().resolve("/me")).build());
            assertThat(me.body()).startsWith("{\"balance\":502,\"name\":\"Ada Lovelace\"");
        }
        assertThat(balancesInSchema()).isEqualTo(Optional.of(502L));
    }

    /** The one account's balance, read straight from the schema the demo was given. */
    private Optional<Long> balancesInSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT sum(balance), count(*) FROM " + schema + ".accounts")) {
            rows.next();
            return rows.getLong(2) == 1 ? Optional.of(rows.getLong(1)) : Optional.empty();
        }
    }

    private static HttpResponse<String> send(HttpClient browser, HttpRequest request) throws Exception {
        return browser.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
