package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sets what user-facing responses carry: {@code X-Balance} always, {@code X-PaymentLink} when
 * the client holds the session's token, and the cookie only as {@link TokenDelivery} says (a
 * response that sets it is made {@code Cache-Control: private}).
 */
final class WalletHeaders {
    private final AccessTokenCookie cookie;

    WalletHeaders(AccessTokenCookie cookie) {
        this.cookie = cookie;
    }

    AccessTokenCookie cookie() {
        return cookie;
    }

    void set(HttpServletRequest request, HttpServletResponse response, TokenDelivery delivery, long balanceCents,
             String paymentLink) {
        if (delivery.setCookie()) {
            cookie.set(response, delivery.token());
            PrivateCaching.enforce(response);
        }
        if (delivery.expireLegacyCookie()) {
            cookie.expireLegacy(response, request.getServerName());
        }
        response.setHeader(StripeflareFilter.BALANCE_HEADER, Long.toString(balanceCents));
        if (delivery.held()) {
            response.setHeader(StripeflareFilter.PAYMENT_LINK_HEADER, paymentLink);
        }
    }
}
