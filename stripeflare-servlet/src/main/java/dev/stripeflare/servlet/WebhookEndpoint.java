package dev.stripeflare.servlet;

import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.http.JsonWriter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /stripe-webhook}: hands the raw body, decoded as UTF-8 exactly as received, and
 * the {@code Stripe-Signature} header to {@link Wallet#handleWebhookPayload}, and answers the
 * status it chose. Rejects before the wallet: another method (405), a missing signature or body
 * (400), a body that is not UTF-8 (400), larger than the limit (413), or slower than
 * {@link FilterSettings#webhookReadTimeout()} / {@link FilterSettings#webhookMinBytesPerSecond()}
 * (408, connection closed).
 *
 * <p>When the request is async-supported the body is read with a {@code ReadListener}: a sender
 * trickling bytes holds no thread while it waits, and the async timeout ends it at the deadline.
 * Otherwise the body is read blocking and the deadline and rate are checked between reads; a
 * read that blocks outright is ended only by the container (Jetty 12:
 * {@code MinimumDataRateHandler} and {@code ServerConnector.setIdleTimeout}; Tomcat:
 * {@code connectionTimeout}), so configure those.
 */
final class WebhookEndpoint {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final Wallet wallet;
    private final int maxBodyBytes;
    private final long timeoutMillis;
    private final int minBytesPerSecond;

    WebhookEndpoint(Wallet wallet, FilterSettings settings) {
        this.wallet = wallet;
        this.maxBodyBytes = settings.maxWebhookBodyBytes();
        this.timeoutMillis = settings.webhookReadTimeout().toMillis();
        this.minBytesPerSecond = settings.webhookMinBytesPerSecond();
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "POST");
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            refuse(response, WebhookBody.Problem.TOO_LARGE);
            return;
        }
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Missing Stripe-Signature header");
            return;
        }
        WebhookBody body = new WebhookBody(maxBodyBytes, timeoutMillis, minBytesPerSecond, System.nanoTime());
        if (request.isAsyncSupported()) {
            AsyncContext async = request.startAsync();
            async.setTimeout(timeoutMillis);
            WebhookBodyListener listener = new WebhookBodyListener(async, request.getInputStream(), body,
                    bytes -> answer(response, bytes, signature), problem -> refuse(response, problem));
            async.addListener(listener);
            request.getInputStream().setReadListener(listener);
            return;
        }
        WebhookBody.Problem problem = readBlocking(request.getInputStream(), body);
        if (problem != null) {
            refuse(response, problem);
        } else {
            answer(response, body.bytes(), signature);
        }
    }

    private static WebhookBody.Problem readBlocking(InputStream in, WebhookBody body) throws IOException {
        byte[] chunk = new byte[8192];
        int read;
        while ((read = in.read(chunk)) != -1) {
            WebhookBody.Problem problem = body.append(chunk, read, System.nanoTime());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    void refuse(HttpServletResponse response, WebhookBody.Problem problem) throws IOException {
        response.setHeader("Connection", "close");
        switch (problem) {
            case TOO_LARGE -> Answers.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, tooLarge());
            case TOO_SLOW -> Answers.error(response, HttpServletResponse.SC_REQUEST_TIMEOUT,
                    "Body not received within " + timeoutMillis + " ms at " + minBytesPerSecond + " bytes/s or more");
        }
    }

    void answer(HttpServletResponse response, byte[] body, String signature) throws IOException {
        if (body.length == 0) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Missing body");
            return;
        }
        String payload;
        try {
            payload = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Body is not UTF-8");
            return;
        }
        WebhookResult result;
        try {
            result = wallet.handleWebhookPayload(payload, signature);
        } catch (RuntimeException e) {
            // The wallet promises not to throw; if it does, Stripe should retry later.
            LOG.log(System.Logger.Level.ERROR, "webhook handling failed: " + e.getClass().getName());
            Answers.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Webhook processing failed");
            return;
        }
        Answers.json(response, result.httpStatus(), new JsonWriter()
                .field("outcome", result.outcome().name())
                .field("message", result.message())
                .end());
    }

    private String tooLarge() {
        return "Body larger than " + maxBodyBytes + " bytes";
    }
}
