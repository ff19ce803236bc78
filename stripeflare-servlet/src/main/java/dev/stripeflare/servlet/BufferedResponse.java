package dev.stripeflare.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.List;

/**
 * Holds back everything the application writes until the filter has charged its
 * {@code X-Price}: the body goes to memory, {@code flushBuffer()} commits nothing, and
 * {@code sendError}/{@code sendRedirect} are recorded instead of committing. Headers and status
 * pass through to the (uncommitted) real response, except {@code X-Price}, which is kept here:
 * the client sees it only when it was charged.
 *
 * <p>Blocking I/O only: {@link ServletOutputStream#setWriteListener} is refused, and the filter
 * does not support async requests. Not thread-safe, like the response it wraps.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
    static final String PRICE_HEADER = "X-Price";

    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    private ServletOutputStream stream;
    private PrintWriter writer;
    private String writerEncoding;
    private String price;
    private Integer errorStatus;
    private String errorMessage;
    private String redirectLocation;

    BufferedResponse(HttpServletResponse response) {
        super(response);
    }

    /** The application's {@code X-Price} header value, or null when it set none. */
    String price() {
        return price;
    }

    /** The status the application chose, counting a recorded {@code sendError}/{@code sendRedirect}. */
    int finalStatus() {
        if (errorStatus != null) {
            return errorStatus;
        }
        return redirectLocation != null ? SC_FOUND : getStatus();
    }

    /**
     * Sends what the application produced to the real response: its recorded error or redirect,
     * or its buffered body with an exact {@code Content-Length}. Call once, last.
     */
    void commit() throws IOException {
        HttpServletResponse real = (HttpServletResponse) getResponse();
        if (writer != null) {
            writer.flush();
            real.setCharacterEncoding(writerEncoding);
        }
        if (errorStatus != null) {
            if (errorMessage == null) {
                real.sendError(errorStatus);
            } else {
                real.sendError(errorStatus, errorMessage);
            }
            return;
        }
        if (redirectLocation != null) {
            real.sendRedirect(redirectLocation);
            return;
        }
        real.setContentLength(body.size());
        if (body.size() > 0) {
            body.writeTo(real.getOutputStream());
        }
        real.flushBuffer();
    }

    /** Forgets the application's body, error and redirect (when the filter answers instead). */
    void discard() {
        body.reset();
        errorStatus = null;
        errorMessage = null;
        redirectLocation = null;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (stream == null) {
            stream = new MemoryOutputStream();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            writerEncoding = getCharacterEncoding();
            writer = new PrintWriter(new OutputStreamWriter(body, Charset.forName(writerEncoding)));
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public boolean isCommitted() {
        return errorStatus != null || redirectLocation != null;
    }

    @Override
    public void reset() {
        requireNotCommitted();
        super.reset();
        price = null;
        resetBuffer();
    }

    @Override
    public void resetBuffer() {
        requireNotCommitted();
        if (writer != null) {
            writer.flush();
        }
        body.reset();
    }

    @Override
    public void setContentLength(int length) {
        // The filter sets the exact length of what it sends.
    }

    @Override
    public void setContentLengthLong(long length) {
        // The filter sets the exact length of what it sends.
    }

    @Override
    public void sendError(int status, String message) {
        requireNotCommitted();
        errorStatus = status;
        errorMessage = message;
    }

    @Override
    public void sendError(int status) {
        sendError(status, null);
    }

    @Override
    public void sendRedirect(String location) {
        requireNotCommitted();
        redirectLocation = location;
    }

    @Override
    public void setHeader(String name, String value) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            price = value;
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            price = value;
        } else {
            super.addHeader(name, value);
        }
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
    public boolean containsHeader(String name) {
        return PRICE_HEADER.equalsIgnoreCase(name) ? price != null : super.containsHeader(name);
    }

    @Override
    public String getHeader(String name) {
        return PRICE_HEADER.equalsIgnoreCase(name) ? price : super.getHeader(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (PRICE_HEADER.equalsIgnoreCase(name)) {
            return price == null ? List.of() : List.of(price);
        }
        return super.getHeaders(name);
    }

    private void requireNotCommitted() {
        if (isCommitted()) {
            throw new IllegalStateException("the response has already been committed");
        }
    }

    /** The body stream: bytes go to memory; nothing blocks, so it is always ready. */
    private final class MemoryOutputStream extends ServletOutputStream {
        @Override
        public void write(int b) {
            body.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            body.write(bytes, offset, length);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("stripeflare buffers paid responses: non-blocking output is not supported");
        }

        @Override
        public void flush() throws IOException {
            // Nothing leaves before the filter has charged.
        }
    }
}
