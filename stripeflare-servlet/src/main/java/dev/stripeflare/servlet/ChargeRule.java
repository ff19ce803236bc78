package dev.stripeflare.servlet;

/**
 * Which responses are charged their {@code X-Price}: only those that deliver what was priced.
 * Not charged: {@code HEAD} and {@code OPTIONS} requests (no body is delivered; a servlet's
 * default {@code doHead} runs {@code doGet}, price included), {@code 204 No Content},
 * {@code 205 Reset Content}, {@code 304 Not Modified}, any 4xx/5xx, and anything sent through
 * {@code sendError} (whatever its code). Charged: every other 2xx and 3xx, including
 * {@code sendRedirect}.
 */
final class ChargeRule {
    private ChargeRule() {
    }

    static boolean chargeable(String method, int status, boolean sentAsError) {
        if (sentAsError || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return false;
        }
        return status >= 200 && status < 400 && mayHaveBody(status);
    }

    /** Whether a response with {@code status} carries a body (RFC 9110: not 1xx, 204, 205, 304). */
    static boolean mayHaveBody(int status) {
        return status >= 200 && status != 204 && status != 205 && status != 304;
    }
}
