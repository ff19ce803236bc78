package dev.stripeflare.demo;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

/** The demo in test mode on a random loopback port, with one browser-like client that keeps cookies. */
final class DemoHarness implements AutoCloseable {
    private final DemoServer demo;
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    private DemoHarness(DemoServer demo) {
        this.demo = demo;
    }

    static DemoHarness start(Path data) throws Exception {
        return new DemoHarness(DemoServer.start(new DemoConfig("127.0.0.1", 0, data, Optional.empty(), true)));
    }

    URI baseUri() {
        return demo.baseUri();
    }

    URI at(String path) {
        return demo.baseUri().resolve(path);
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        demo.close();
    }
}
