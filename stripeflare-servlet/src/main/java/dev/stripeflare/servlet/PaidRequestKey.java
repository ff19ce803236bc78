package dev.stripeflare.servlet;

import dev.stripeflare.ChargeRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Derives the idempotency key of an {@code X-Price} charge from the request.
 *
 * <p>Only the client can tell a retry from a new request, so the key exists only when the client
 * sends an {@code Idempotency-Key} header; without one every request is charged. The key is
 * scoped to the request's method, path and query (hashed together with the client's value), so
 * a key reused for another resource charges again instead of unlocking it. The wallet scopes
 * keys per account, so one client's key never affects another account.
 */
final class PaidRequestKey {
    static final String HEADER = "Idempotency-Key";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private PaidRequestKey() {
    }

    /**
     * The derived key ({@code "http:"} + 43 characters), or empty without the header.
     *
     * @throws dev.stripeflare.InvalidIdempotencyKeyException if the header is blank, longer than
     *                                                        255 characters or has control characters
     */
    static Optional<String> of(HttpServletRequest request) {
        String clientKey = request.getHeader(HEADER);
        if (clientKey == null) {
            return Optional.empty();
        }
        ChargeRequest.validateIdempotencyKey(clientKey);
        String scope = request.getMethod() + '\n' + request.getRequestURI() + '\n'
                + (request.getQueryString() == null ? "" : request.getQueryString()) + '\n' + clientKey;
        return Optional.of("http:" + BASE64URL.encodeToString(sha256(scope)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
