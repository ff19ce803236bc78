package dev.stripeflare.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the application sees: an async context it starts carries the
 * {@link ChargingResponse}, and completing that context settles the response before the
 * container finishes it, so an async handler is charged (or answered 402) like a blocking one.
 * A response that completes without being settled (an {@code ASYNC} dispatch while the filter is
 * not mapped to {@code DispatcherType.ASYNC}) is logged as an error: its price was not charged.
 */
final class AsyncChargingRequest extends HttpServletRequestWrapper {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());

    private final ChargingResponse charging;
    private ChargingAsyncContext context;

    AsyncChargingRequest(HttpServletRequest request, ChargingResponse charging) {
        super(request);
        this.charging = charging;
    }

    @Override
    public AsyncContext startAsync() {
        return wrap(super.startAsync(this, charging));
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return wrap(super.startAsync(request, response));
    }

    @Override
    public synchronized AsyncContext getAsyncContext() {
        AsyncContext current = super.getAsyncContext();
        return context != null && context.wraps(current) ? context : current;
    }

    private synchronized AsyncContext wrap(AsyncContext started) {
        if (context == null) {
            started.addListener(new UnsettledResponseAlarm(charging));
        }
        context = new ChargingAsyncContext(started, charging);
        return context;
    }

    /** Logs a response that completed without the filter settling it. */
    private record UnsettledResponseAlarm(ChargingResponse charging) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            if (!charging.finished() && charging.price() != null) {
                LOG.log(System.Logger.Level.ERROR, "an async response completed without StripeflareFilter settling it;"
                        + " its X-Price was not charged: map the filter to DispatcherType.ASYNC as well");
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container answers the timeout with an error status, which is never charged.
        }

        @Override
        public void onError(AsyncEvent event) {
            // As for a timeout.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
