package dev.stripeflare.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Holds a response back until the moment it would be committed, and lets a {@link Decision}
 * settle its price at that moment (ADR 20). The moment comes at the first of: the held bytes
 * outgrowing the buffer ({@link #getBufferSize()}, the container's unless configured), a flush
 * ({@code flush()}, {@code flushBuffer()}), {@code sendError}, {@code sendRedirect}, closing the
 * stream or writer, or {@link #finish()} (the handler returned, or its async context completed).
 * Until then nothing has reached the client, so the decision may still replace the response (a
 * 402); after it, bytes stream straight through. Memory per response is bounded by the buffer,
 * whatever the response's size.
 *
 * <p>{@code X-Price} is kept here, never passed on: every setter ({@code set/add},
 * {@code Int}, {@code Date}) lands in it, a second {@code addHeader} is counted (the decision
 * refuses two prices), and one set after the commit is logged and ignored. Headers and status
 * otherwise pass through to the real response.
 *
 * <p>Blocking I/O only ({@code setWriteListener} is refused). Writes from one thread at a time,
 * as for any response; {@link #finish()} may come from another thread (an async completion) and
 * runs at most once.
 */
final class ChargingResponse extends HttpServletResponseWrapper {
    static final String PRICE_HEADER = "X-Price";
    /** The request attribute under which the filter keeps this response for an async dispatch. */
    static final String ATTRIBUTE = ChargingResponse.class.getName();

    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    private static final int MIN_BUFFER = 1024;

    /** What happens when the response commits; called at most once per response. */
    interface Decision {
        /**
         * Settles the response's price before any byte of it leaves.
         *
         * @param status      the status the response commits with
         * @param sentAsError whether it commits through {@code sendError}
         * @return true to send the application's response; false when the decision answered itself
         */
        boolean decide(ChargingResponse response, int status, boolean sentAsError) throws IOException;
    }

    private enum State { HELD, PASSING, REPLACED }

    private final HttpServletResponse real;
    private final Decision decision;
    private final boolean headRequest;
    private int capacity;
    private byte[] held = new byte[0];
    private int count;
    private State state = State.HELD;
    private boolean finished;
    private String price;
    private int priceHeaders;
    private boolean contentLengthSet;
    private boolean latePriceLogged;
    private ServletOutputStream stream;
    private PrintWriter writer;
    private String writerEncoding;
    private boolean draining;

    /**
     * @param capacity    how many bytes to hold before committing; 0 for the real response's buffer size
     * @param headRequest whether the request is a {@code HEAD} (no {@code Content-Length} is derived)
     */
    ChargingResponse(HttpServletResponse real, int capacity, boolean headRequest, Decision decision) {
        super(real);
        this.real = real;
        this.decision = decision;
        this.headRequest = headRequest;
        this.capacity = capacity > 0 ? capacity : Math.max(MIN_BUFFER, real.getBufferSize());
    }

    /** The application's {@code X-Price} value, or null when it set none. */
    synchronized String price() {
        return price;
    }

    /** How many {@code X-Price} headers the application added (more than one is refused). */
    synchronized int priceHeaders() {
        return priceHeaders;
    }

    /** Whether {@link #finish()} has run. */
    synchronized boolean finished() {
        return finished;
    }

    /** The response under this wrapper. */
    HttpServletResponse real() {
        return real;
    }

    /**
     * The application is done (its handler returned or its async context completes): decides, if
     * that has not happened yet, with an exact {@code Content-Length}, and sends the rest of what
     * is held. Runs once; later calls do nothing.
     */
    synchronized void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        drainWriter();
        if (state == State.HELD) {
            commit(getStatus(), false, true);
        }
    }

    private void drainWriter() {
        if (writer != null) {
            draining = true;
            try {
                writer.flush();
            } finally {
                draining = false;
            }
        }
    }

    /** Decides now, then sends what is held when the decision lets the response pass. */
    private void commit(int status, boolean sentAsError, boolean complete) throws IOException {
        if (state != State.HELD) {
            return;
        }
        byte[] body = held;
        int length = count;
        held = null;
        count = 0;
        state = State.REPLACED;
        if (!decision.decide(this, status, sentAsError)) {
            return;
        }
        state = State.PASSING;
        if (sentAsError) {
            return;
        }
        if (writerEncoding != null) {
            real.setCharacterEncoding(writerEncoding);
        }
        if (complete && !contentLengthSet && !headRequest && ChargeRule.mayHaveBody(status)) {
            real.setContentLengthLong(length);
        }
        if (length > 0) {
            real.getOutputStream().write(body, 0, length);
        }
    }

    private synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (state == State.HELD && count + length > capacity) {
            commit(getStatus(), false, false);
        }
        switch (state) {
            case HELD -> {
                if (count + length > held.length) {
                    held = Arrays.copyOf(held, Math.min(capacity, Math.max(count + length, Math.max(MIN_BUFFER, held.length * 2))));
                }
                System.arraycopy(bytes, offset, held, count, length);
                count += length;
            }
            case PASSING -> real.getOutputStream().write(bytes, offset, length);
            case REPLACED -> {
                // The filter answered instead (402, 409, 500, 503): the application's bytes go nowhere.
            }
        }
    }

    private synchronized void flushFromApplication() throws IOException {
        if (draining) {
            return;
        }
        if (state == State.HELD) {
            commit(getStatus(), false, false);
        }
        if (state == State.PASSING) {
            real.flushBuffer();
        }
    }

    private synchronized void closeFromApplication() throws IOException {
        finish();
        if (state == State.PASSING) {
            real.getOutputStream().close();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (stream == null) {
            stream = new ChargingStream();
        }
        return stream;
    }

    @Override
    public synchronized PrintWriter getWriter() {
        if (stream != null && !(stream instanceof WriterStream)) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            writerEncoding = getCharacterEncoding();
            real.setCharacterEncoding(writerEncoding);
            stream = new WriterStream();
            writer = new ChargingWriter(new OutputStreamWriter(stream, Charset.forName(writerEncoding)));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        flushFromApplication();
    }

    @Override
    public synchronized boolean isCommitted() {
        return state != State.HELD || real.isCommitted();
    }

    @Override
    public int getBufferSize() {
        return capacity;
    }

    @Override
    public synchronized void setBufferSize(int size) {
        if (state != State.HELD || count > 0) {
            throw new IllegalStateException("content has already been written");
        }
        super.setBufferSize(size);
        capacity = Math.max(MIN_BUFFER, size);
    }

    @Override
    public synchronized void reset() {
        if (state != State.HELD) {
            throw new IllegalStateException("the response has already been committed");
        }
        super.reset();
        price = null;
        priceHeaders = 0;
        contentLengthSet = false;
        resetBuffer();
    }

    @Override
    public synchronized void resetBuffer() {
        if (state != State.HELD) {
            throw new IllegalStateException("the response has already been committed");
        }
        drainWriter();
        count = 0;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        synchronized (this) {
            if (state == State.HELD) {
                count = 0;
                commit(status, true, false);
            }
            if (state != State.PASSING) {
                return;
            }
        }
        if (message == null) {
            real.sendError(status);
        } else {
            real.sendError(status, message);
        }
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        synchronized (this) {
            if (state == State.HELD) {
                count = 0;
                commit(SC_FOUND, false, false);
            }
            if (state != State.PASSING) {
                return;
            }
        }
        real.sendRedirect(location);
    }

    @Override
    public void setContentLength(int length) {
        contentLengthSet = true;
        super.setContentLength(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        contentLengthSet = true;
        super.setContentLengthLong(length);
    }

    @Override
    public synchronized void setHeader(String name, String value) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            if (priceIsSettled()) {
                return;
            }
            price = value;
            priceHeaders = value == null ? 0 : 1;
            return;
        }
        if ("Content-Length".equalsIgnoreCase(name)) {
            contentLengthSet = value != null;
        }
        super.setHeader(name, value);
    }

    @Override
    public synchronized void addHeader(String name, String value) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            if (value == null || priceIsSettled()) {
                return;
            }
            price = value;
            priceHeaders++;
            return;
        }
        if ("Content-Length".equalsIgnoreCase(name)) {
            contentLengthSet = true;
        }
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            setHeader(name, httpDate(date));
        } else {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            addHeader(name, httpDate(date));
        } else {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public synchronized boolean containsHeader(String name) {
        return PRICE_HEADER.equalsIgnoreCase(name) ? price != null : super.containsHeader(name);
    }

    @Override
    public synchronized String getHeader(String name) {
        return PRICE_HEADER.equalsIgnoreCase(name) ? price : super.getHeader(name);
    }

    @Override
    public synchronized Collection<String> getHeaders(String name) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            return price == null ? List.of() : List.of(price);
        }
        return super.getHeaders(name);
    }

    /** True (and logged once) when the price comes too late: the response has been settled. */
    private boolean priceIsSettled() {
        if (state == State.HELD) {
            return false;
        }
        if (!latePriceLogged) {
            latePriceLogged = true;
            LOG.log(System.Logger.Level.WARNING,
                    "X-Price set after the response was committed; not charged (set it before the first flush)");
        }
        return true;
    }

    private static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    /** The body stream handed to the application. */
    private class ChargingStream extends ServletOutputStream {
        @Override
        public void write(int b) throws IOException {
            ChargingResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ChargingResponse.this.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            flushFromApplication();
        }

        @Override
        public void close() throws IOException {
            closeFromApplication();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("stripeflare charges at commit time: non-blocking output is not supported");
        }
    }

    /** The stream under the application's writer; never handed out itself. */
    private final class WriterStream extends ChargingStream {
    }

    /** The application's writer: closing it completes the response with an exact length. */
    private final class ChargingWriter extends PrintWriter {
        ChargingWriter(OutputStreamWriter out) {
            super(out);
        }

        @Override
        public void close() {
            synchronized (ChargingResponse.this) {
                drainWriter();
            }
            try {
                closeFromApplication();
            } catch (IOException e) {
                setError();
            }
        }
    }
}
