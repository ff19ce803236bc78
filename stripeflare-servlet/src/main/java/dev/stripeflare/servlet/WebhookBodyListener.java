package dev.stripeflare.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a webhook body without blocking a thread: bytes are taken as the container reports them
 * ready, the rate is checked as they come, and the async timeout ends a sender that stops. Exactly
 * one of the two outcomes — the body, or a refusal — is acted on, then the async context completes.
 */
final class WebhookBodyListener implements ReadListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());

    /** What to do with a whole body. */
    interface BodyHandler {
        void accept(byte[] body) throws IOException;
    }

    /** What to do with a refused one. */
    interface ProblemHandler {
        void accept(WebhookBody.Problem problem) throws IOException;
    }

    private final AsyncContext async;
    private final ServletInputStream in;
    private final WebhookBody body;
    private final BodyHandler onBody;
    private final ProblemHandler onProblem;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final byte[] chunk = new byte[8192];

    WebhookBodyListener(AsyncContext async, ServletInputStream in, WebhookBody body, BodyHandler onBody,
                        ProblemHandler onProblem) {
        this.async = async;
        this.in = in;
        this.body = body;
        this.onBody = onBody;
        this.onProblem = onProblem;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!settled.get() && in.isReady()) {
            int read = in.read(chunk);
            if (read == -1) {
                return;
            }
            WebhookBody.Problem problem = body.append(chunk, read, System.nanoTime());
            if (problem != null) {
                refuse(problem);
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (settled.compareAndSet(false, true)) {
            try {
                onBody.accept(body.bytes());
            } finally {
                async.complete();
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        // The sender went away or the read failed: nothing to answer.
        if (settled.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.DEBUG, "webhook body not received: " + failure.getClass().getName());
            async.complete();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        try {
            refuse(WebhookBody.Problem.TOO_SLOW);
        } catch (IOException gone) {
            // The sender went away before hearing the 408.
            LOG.log(System.Logger.Level.DEBUG, "webhook 408 not delivered: " + gone.getClass().getName());
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable() != null ? event.getThrowable() : new IOException("async error"));
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // Nothing left to do.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not restarted.
    }

    private void refuse(WebhookBody.Problem problem) throws IOException {
        if (settled.compareAndSet(false, true)) {
            try {
                onProblem.accept(problem);
            } finally {
                async.complete();
            }
        }
    }
}
