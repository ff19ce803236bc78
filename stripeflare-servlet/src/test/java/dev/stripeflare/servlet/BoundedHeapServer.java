package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The filter over {@link PricedServlets} in a process of its own, for {@link MemoryBoundTest} to
 * run under a small heap. Prints {@code READY <port> <token>} (a registered user with a large
 * balance) and serves until its standard input closes. {@code /sse-long?millis=N}: an event every
 * 10 ms for N ms, then {@code data: end}.
 */
final class BoundedHeapServer {
    private BoundedHeapServer() {
    }

    public static void main(String[] args) throws Exception {
        try (PricedServlets servlets = new PricedServlets();
             JettyHarness harness = new JettyHarness(FilterSettings.development(), UnaryOperator.identity(), context -> {
                 servlets.register(context);
                 context.addServlet(new ServletHolder(new LongEvents()), "/sse-long");
             }, new Server())) {
            String token = harness.registeredUser(1_000_000);
            System.out.println("READY " + harness.base.getPort() + " " + token);
            System.out.flush();
            while (System.in.read() != -1) {
                // Serve until the parent closes our input.
            }
        }
    }

    /** Server-sent events with 1 KiB of padding each, for a while. */
    static final class LongEvents extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String price = request.getParameter("price");
            if (price != null) {
                response.setHeader("X-Price", price);
            }
            response.setContentType("text/event-stream;charset=utf-8");
            long end = System.nanoTime() + Long.parseLong(request.getParameter("millis")) * 1_000_000L;
            String padding = "p".repeat(1024);
            PrintWriter out = response.getWriter();
            for (int i = 0; System.nanoTime() < end; i++) {
                out.write("data: " + i + " " + padding + "\n\n");
                out.flush();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.write("data: end\n\n");
            out.flush();
        }
    }
}
