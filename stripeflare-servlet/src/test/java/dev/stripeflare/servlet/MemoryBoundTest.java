package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 2: memory per request is bounded by the buffer, whatever the response size.
 * Root cause: the filter held every response whole in a {@code ByteArrayOutputStream}. The
 * filter runs in a child JVM with {@code -Xmx128m} ({@link BoundedHeapServer}) and serves a
 * 1 GiB response and a server-sent event stream, each priced and unpriced, completely; the
 * child must not run out of memory. The event stream runs for 3 s per request (the issue asks
 * for 10 minutes; 3 s of 1 KiB events every 10 ms shows the same per-event flushing and keeps
 * the build short).
 */
class MemoryBoundTest {
    private static final long ONE_GIB = 1L << 30;

    @TempDir
    static Path logs;
    private static Process child;
    private static URI base;
    private static String token;
    private static Path stderr;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        stderr = logs.resolve("child-stderr.txt");
        child = new ProcessBuilder(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), BoundedHeapServer.class.getName())
                .redirectError(stderr.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // Skip anything printed before the server is up.
        }
        assertThat(line).as("child output; stderr in %s", stderr).isNotNull();
        String[] ready = line.split(" ");
        base = URI.create("http://127.0.0.1:" + ready[1]);
        token = ready[2];
    }

    @AfterAll
    static void stopChild() throws Exception {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private HttpResponse<InputStream> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static long drain(InputStream in) throws Exception {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (in) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                total += read;
            }
        }
        return total;
    }

    @Test
    void aOneGibibyteResponseIsServedWholeUnderA128MebibyteHeapPricedAndUnpriced() throws Exception {
        for (String price : List.of("", "&price=1")) {
            HttpResponse<InputStream> response = get("/big?bytes=" + ONE_GIB + price);
            assertThat(response.statusCode()).as(price).isEqualTo(200);
            assertThat(drain(response.body())).as(price).isEqualTo(ONE_GIB);
            assertThat(response.headers().firstValue("X-Price")).as(price).isEqualTo(
                    price.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("1"));
        }
        assertChildHealthy();
    }

    @Test
    void aLongEventStreamIsServedWholeUnderA128MebibyteHeapPricedAndUnpriced() throws Exception {
        for (String price : List.of("", "&price=1")) {
            HttpResponse<InputStream> response = get("/sse-long?millis=3000" + price);
            assertThat(response.statusCode()).isEqualTo(200);
            String last = null;
            int events = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        events++;
                        last = line;
                    }
                }
            }
            assertThat(last).isEqualTo("data: end");
            assertThat(events).isGreaterThan(1);
        }
        assertChildHealthy();
    }

    private void assertChildHealthy() throws Exception {
        assertThat(child.isAlive()).as("child alive; stderr in %s", stderr).isTrue();
        HttpResponse<InputStream> free = get("/free");
        assertThat(free.statusCode()).isEqualTo(200);
        drain(free.body());
        assertThat(Files.readString(stderr)).doesNotContain("OutOfMemoryError");
    }

}
