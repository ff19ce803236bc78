package dev.stripeflare.servlet;

import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
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
 * (400), a body that is not UTF-8 (400) or larger than the limit (413).
 */
final class WebhookEndpoint {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final Wallet wallet;
    private final int maxBodyBytes;

    WebhookEndpoint(Wallet wallet, int maxBodyBytes) {
        this.wallet = wallet;
        this.maxBodyBytes = maxBodyBytes;
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "POST");
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            Answers.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, tooLarge());
            return;
        }
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Missing Stripe-Signature header");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBodyBytes);
        if (body == null) {
            Answers.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, tooLarge());
            return;
        }
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

    /** The whole stream, or null as soon as it proves longer than {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] chunk = new byte[8192];
        int read;
        while ((read = in.read(chunk)) != -1) {
            if (out.size() + read > limit) {
                return null;
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }
}
