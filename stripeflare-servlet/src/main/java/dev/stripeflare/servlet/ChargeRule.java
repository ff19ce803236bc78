package dev.stripeflare.servlet;

/**
 * Which responses are charged their {@code X-Price}: only those that deliver what was priced.
 * Not charged: {@code 204 No Content}, {@code 205 Reset Content}, {@code 304 Not Modified}, any
 * 4xx/5xx, anything sent through {@code sendError} (whatever its code), and the 2xx answers to
 * {@code HEAD} and {@code OPTIONS} requests (no body is delivered; a servlet's default
 * {@code doHead} runs {@code doGet}, price included). Charged: every other 2xx, and every other
 * 3xx whatever the method — a redirect delivers what was priced in its {@code Location} (a signed
 * download URL, say), which a {@code HEAD} receives just as a {@code GET} does.
 */
final class ChargeRule {
    private ChargeRule() {
    }

    static boolean chargeable(String method, int status, boolean sentAsError) {
        if (sentAsError || status < 200 || status >= 400 || !mayHaveBody(status)) {
            return false;
        }
        if (status >= 300) {
            return true;
        }
        return !"HEAD".equals(method) && !"OPTIONS".equals(method);
    }

    /** Whether a response with {@code status} carries a body (RFC 9110: not 1xx, 204, 205, 304). */
    static boolean mayHaveBody(int status) {
        return status >= 200 && status != 204 && status != 205 && status != 304;
    }
}
