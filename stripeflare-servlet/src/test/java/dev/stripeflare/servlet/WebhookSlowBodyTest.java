package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 7: slow bodies on {@code /stripe-webhook} starved the server. Root cause: the
 * body was read with blocking reads and no deadline, so every trickling sender held a container
 * thread for as long as it liked. Now the body is read by a {@code ReadListener} (no thread held
 * while waiting) within a deadline and at a minimum rate.
 */
class WebhookSlowBodyTest {

    @Test
    void aBodyTricklingInSlowerThanTheMinimumRateIs408() throws Exception {
        FilterSettings settings = FilterSettings.development().withWebhookReadLimits(Duration.ofSeconds(2), 1024);
        try (JettyHarness harness = new JettyHarness(settings);
             Socket socket = trickle(harness, 300)) {
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        }
    }

    @Test
    void aSenderThatStopsIsCutOffAtTheDeadline() throws Exception {
        FilterSettings settings = FilterSettings.development().withWebhookReadLimits(Duration.ofSeconds(1), 0);
        try (JettyHarness harness = new JettyHarness(settings);
             Socket socket = open(harness, 1000)) {
            socket.getOutputStream().write('{');
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        }
    }

    @Test
    void tricklingSendersHoldNoThreadsSoOtherRequestsAreServed() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        Server server = new Server(threads);
        // Generous limits: without the non-blocking read each sender would hold a thread for 30 s.
        FilterSettings settings = FilterSettings.development().withWebhookReadLimits(Duration.ofSeconds(30), 0);
        List<Socket> senders = new ArrayList<>();
        ExecutorService tricklers = Executors.newFixedThreadPool(4);
        try (JettyHarness harness = new JettyHarness(settings, UnaryOperator.identity(), context -> { }, server)) {
            for (int i = 0; i < 40; i++) {
                senders.add(open(harness, 1000));
            }
            tricklers.execute(() -> {
                for (int round = 0; round < 60; round++) {
                    for (Socket sender : senders) {
                        try {
                            sender.getOutputStream().write(' ');
                            sender.getOutputStream().flush();
                        } catch (IOException gone) {
                            // Closed at the end of the test.
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            // A hang guard, not a timing bound: starved, this request would wait for the senders.
            HttpResponse<String> response = harness.send(harness.request("/free").timeout(Duration.ofSeconds(15)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("free content");
        } finally {
            tricklers.shutdownNow();
            tricklers.awaitTermination(5, TimeUnit.SECONDS);
            for (Socket sender : senders) {
                sender.close();
            }
        }
    }

    /** A webhook request whose headers promise {@code length} bytes, of which none is sent yet. */
    private static Socket open(JettyHarness harness, int length) throws IOException {
        Socket socket = new Socket(harness.base.getHost(), harness.base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /stripe-webhook HTTP/1.1\r\nHost: " + harness.base.getAuthority()
                + "\r\nStripe-Signature: t=1,v1=00\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    /** As {@link #open}, with a thread sending one byte every {@code intervalMillis} until it fails. */
    private static Socket trickle(JettyHarness harness, long intervalMillis) throws IOException {
        Socket socket = open(harness, 1000);
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    socket.getOutputStream().write(' ');
                    socket.getOutputStream().flush();
                    Thread.sleep(intervalMillis);
                }
            } catch (IOException | InterruptedException stopped) {
                // The server closed the connection, or the test ended.
            }
        });
        sender.setDaemon(true);
        sender.start();
        return socket;
    }
}
