package dev.stripeflare.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * Application servlets that exercise how and when a response commits: large bodies, server-sent
 * events, bodiless statuses, {@code sendError}, every {@code X-Price} setter, {@code include()} and
 * async handlers. Register with {@link #register}; {@code ?price=N} sets {@code X-Price: N}.
 */
final class PricedServlets implements AutoCloseable {
    /** Released by a test once it has read the first server-sent event; one per stream. */
    private volatile CountDownLatch firstEventRead = new CountDownLatch(1);
    private final ExecutorService async = Executors.newCachedThreadPool();

    void register(ServletContextHandler context) {
        add(context, "/big", new Big());
        add(context, "/sse", new Events());
        add(context, "/status", new Status());
        add(context, "/send-error", new SendError());
        add(context, "/redirect", new Redirect());
        add(context, "/price-setter", new PriceSetter());
        add(context, "/get-only", new GetOnly());
        add(context, "/includer", new Includer());
        add(context, "/included", new Included());
        add(context, "/async", new Async());
        add(context, "/async-target", new GetOnly());
    }

    private static void add(ServletContextHandler context, String path, HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, path);
    }

    private static void price(HttpServletRequest request, HttpServletResponse response) {
        String price = request.getParameter("price");
        if (price != null) {
            response.setHeader("X-Price", price);
        }
    }

    /** A new latch for the next event stream, which waits on it after its first event. */
    CountDownLatch nextEventStream() {
        firstEventRead = new CountDownLatch(1);
        return firstEventRead;
    }

    @Override
    public void close() {
        firstEventRead.countDown();
        async.shutdownNow();
    }

    /** {@code ?bytes=N}: N bytes of {@code 'x'}, written 8 KiB at a time. */
    static final class Big extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            response.setContentType("application/octet-stream");
            long bytes = Long.parseLong(request.getParameter("bytes"));
            if (request.getParameter("length") != null) {
                response.setContentLengthLong(bytes);
            }
            byte[] chunk = new byte[8192];
            Arrays.fill(chunk, (byte) 'x');
            OutputStream out = response.getOutputStream();
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    /**
     * Server-sent events: the first, then (after the test read it) {@code ?events=N} in all; if
     * the test has not read the first within 10 s (it was held back), {@code data: timed out}.
     */
    final class Events extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            response.setContentType("text/event-stream;charset=utf-8");
            int events = Integer.parseInt(request.getParameter("events"));
            CountDownLatch read = firstEventRead;
            var out = response.getWriter();
            for (int i = 1; i <= events; i++) {
                out.write("data: event " + i + "\n\n");
                out.flush();
                if (i == 1) {
                    try {
                        if (!read.await(10, TimeUnit.SECONDS)) {
                            out.write("data: timed out\n\n");
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** {@code ?code=N}: answers that status (a body only if it may have one). */
    static final class Status extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            int code = Integer.parseInt(request.getParameter("code"));
            response.setStatus(code);
            if (code != 204 && code != 304) {
                response.getWriter().write("status content");
            }
        }
    }

    /** {@code ?code=N}: {@code sendError(N)} after setting the price. */
    static final class SendError extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            response.sendError(Integer.parseInt(request.getParameter("code")));
        }
    }

    /** A priced redirect. */
    static final class Redirect extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            response.sendRedirect("/free");
        }
    }

    /** {@code ?kind=}: sets X-Price through another setter. */
    static final class PriceSetter extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            switch (request.getParameter("kind")) {
                case "set-date" -> response.setDateHeader("X-Price", 5);
                case "add-date" -> response.addDateHeader("x-price", 5);
                case "add-twice" -> {
                    response.addHeader("X-Price", "5");
                    response.addHeader("x-price", "1");
                }
                case "add-int-twice" -> {
                    response.addIntHeader("X-Price", 5);
                    response.addIntHeader("X-Price", 5);
                }
                case "add-int" -> response.addIntHeader("X-PRICE", 5);
                case "set-twice" -> {
                    response.setHeader("X-Price", "1");
                    response.setHeader("X-Price", "5");
                }
                default -> throw new IllegalArgumentException("kind");
            }
            response.getWriter().write("priced content");
        }
    }

    /** A plain {@code doGet} servlet: {@code HEAD} runs it through the default {@code doHead}. */
    static final class GetOnly extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write("get-only content");
        }
    }

    /** Includes {@code /included}, passing its query on. */
    static final class Includer extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.getWriter().write("before;");
            request.getRequestDispatcher("/included?" + request.getQueryString()).include(request, response);
            response.getWriter().write(";after");
        }
    }

    /**
     * Included: {@code ?price=N} sets X-Price (which the include drops, per the Servlet spec);
     * {@code ?charge=N} charges through the session instead.
     */
    static final class Included extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price(request, response);
            String charge = request.getParameter("charge");
            if (charge != null && !StripeflareSession.of(request).charge(Long.parseLong(charge)).charged()) {
                response.getWriter().write("included: not paid");
                return;
            }
            response.getWriter().write("included content");
        }
    }

    /**
     * An async handler: another thread sets the price, writes and completes
     * ({@code ?mode=complete}), or dispatches to {@code /async-target} ({@code ?mode=dispatch}).
     */
    final class Async extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext context = request.startAsync();
            async.execute(() -> {
                try {
                    if ("dispatch".equals(request.getParameter("mode"))) {
                        context.dispatch("/async-target");
                        return;
                    }
                    Thread.sleep(100);
                    price(request, response);
                    response.setContentType("text/plain;charset=utf-8");
                    response.getOutputStream().write("async content".getBytes(StandardCharsets.UTF_8));
                    context.complete();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
