package dev.stripeflare.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * The container's {@link AsyncContext}, except that {@link #complete()} first settles the
 * {@link ChargingResponse} (charge, or 402) and sends what it holds, while the response can still
 * be changed.
 */
final class ChargingAsyncContext implements AsyncContext {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());

    private final AsyncContext context;
    private final ChargingResponse charging;

    ChargingAsyncContext(AsyncContext context, ChargingResponse charging) {
        this.context = context;
        this.charging = charging;
    }

    boolean wraps(AsyncContext other) {
        return context == other;
    }

    @Override
    public void complete() {
        try {
            charging.finish();
        } catch (IOException | RuntimeException e) {
            // The client went away while the settled response was being sent.
            LOG.log(System.Logger.Level.DEBUG, "async response not fully sent: " + e.getClass().getName());
        }
        context.complete();
    }

    @Override
    public ServletRequest getRequest() {
        return context.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
        return context.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return context.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
        context.dispatch();
    }

    @Override
    public void dispatch(String path) {
        context.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext servletContext, String path) {
        context.dispatch(servletContext, path);
    }

    @Override
    public void start(Runnable run) {
        context.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        context.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
        context.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return context.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
        context.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return context.getTimeout();
    }
}
