package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sets what user-facing responses carry: {@code X-Balance} always, {@code X-PaymentLink} when
 * the client holds the session's token, and the cookie only as {@link TokenDelivery} says (a
 * response that sets it is made {@code Cache-Control: private}). A response the application
 * marks cacheable by shared caches ({@code public} or {@code s-maxage}, and not private) gets
 * neither per-user header: a CDN must never hand one user's balance or payment link to others
 * (a stranger's top-up through it would fund that user).
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
        // A response that set the cookie was made private just above.
        if (!delivery.setCookie() && PrivateCaching.isSharedCacheable(response)) {
            return;
        }
        response.setHeader(StripeflareFilter.BALANCE_HEADER, Long.toString(balanceCents));
        if (delivery.held()) {
            response.setHeader(StripeflareFilter.PAYMENT_LINK_HEADER, paymentLink);
        }
    }
}
