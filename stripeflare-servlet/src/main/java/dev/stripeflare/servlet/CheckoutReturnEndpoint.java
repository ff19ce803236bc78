package dev.stripeflare.servlet;

import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.InvalidCheckoutSessionIdException;
import dev.stripeflare.Session;
import dev.stripeflare.StripeflareException;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code GET /checkout-return?session_id=cs_…}: where the Payment Link's after-completion
 * redirect brings the payer's browser back
 * ({@code https://<host><prefix>/checkout-return?session_id={CHECKOUT_SESSION_ID}}). It presents
 * the session id with the request's token to {@link Wallet#completeCheckout} — which logs this
 * browser in to the account the payment went to, when this browser's token is the one whose
 * link was paid — and answers {@code 303 See Other} to the landing path with
 * {@code checkout=<outcome>} ({@code linked}, {@code already_linked}, {@code pending},
 * {@code refused}, {@code expired}) added to its query.
 *
 * <p>The browser arrives by a cross-site top-level {@code GET} from Stripe's checkout page, which
 * carries the {@code SameSite=Lax} cookie. A request that presents no token (a fresh one was
 * just minted for it) writes nothing: it is answered {@code refused} without asking the wallet.
 * A missing, repeated or malformed {@code session_id} answers 400, another method 405, a failing
 * store 503; none of them changes anything. The answer is {@code Cache-Control: no-store} and
 * {@code Referrer-Policy: no-referrer}, so the session id goes nowhere else.
 */
final class CheckoutReturnEndpoint {
    static final String SESSION_ID_PARAMETER = "session_id";
    static final String OUTCOME_PARAMETER = "checkout";
    /** Stripe's checkout session ids, as {@link Wallet#completeCheckout} accepts them. */
    private static final Pattern CHECKOUT_SESSION_ID = Pattern.compile("cs_[A-Za-z0-9_]{1,250}");
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());

    private final Wallet wallet;
    private final WalletHeaders headers;
    private final String landingPath;

    CheckoutReturnEndpoint(Wallet wallet, WalletHeaders headers, String landingPath) {
        this.wallet = wallet;
        this.headers = headers;
        this.landingPath = landingPath;
    }

    void handle(HttpServletRequest request, HttpServletResponse response, Session session, TokenDelivery delivery)
            throws IOException {
        headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
        if (!"GET".equals(request.getMethod())) {
            Answers.methodNotAllowed(response, "GET");
            return;
        }
        String[] ids = request.getParameterValues(SESSION_ID_PARAMETER);
        if (ids == null || ids.length != 1) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Expected one session_id");
            return;
        }
        CheckoutOutcome outcome;
        try {
            outcome = session.isNew() ? refusedWithoutToken(ids[0]) : complete(response, session, ids[0]);
        } catch (InvalidCheckoutSessionIdException e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, "Malformed session_id");
            return;
        } catch (StripeflareException e) {
            LOG.log(System.Logger.Level.ERROR, "checkout return failed: " + e.getClass().getName());
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Wallet unavailable; reload to try again");
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Location", request.getContextPath() + landingPath
                + (landingPath.contains("?") ? "&" : "?") + OUTCOME_PARAMETER + "="
                + outcome.name().toLowerCase(Locale.ROOT));
    }

    private CheckoutOutcome complete(HttpServletResponse response, Session session, String checkoutSessionId) {
        CheckoutResult result = wallet.completeCheckout(session.accessToken(), checkoutSessionId);
        response.setHeader(StripeflareFilter.BALANCE_HEADER,
                Long.toString(result.user().map(User::balanceCents).orElse(0L)));
        return result.outcome();
    }

    /** No token came with the request, so no checkout can be this browser's; the id is still checked. */
    private static CheckoutOutcome refusedWithoutToken(String checkoutSessionId) {
        if (!CHECKOUT_SESSION_ID.matcher(checkoutSessionId).matches()) {
            throw new InvalidCheckoutSessionIdException();
        }
        return CheckoutOutcome.REFUSED;
    }
}
