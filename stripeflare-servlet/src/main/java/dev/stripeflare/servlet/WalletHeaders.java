package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Sets what every user-facing response carries: the cookie, {@code X-Balance}, {@code X-PaymentLink}. */
final class WalletHeaders {
    private final AccessTokenCookie cookie;

    WalletHeaders(AccessTokenCookie cookie) {
        this.cookie = cookie;
    }

    void set(HttpServletRequest request, HttpServletResponse response, String token, long balanceCents,
             String paymentLink) {
        cookie.set(request, response, token);
        response.setHeader(StripeflareFilter.BALANCE_HEADER, Long.toString(balanceCents));
        response.setHeader(StripeflareFilter.PAYMENT_LINK_HEADER, paymentLink);
    }
}
