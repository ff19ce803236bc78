package dev.stripeflare.servlet;

import dev.stripeflare.InvalidIdempotencyKeyException;
import dev.stripeflare.Session;
import dev.stripeflare.StripeflareException;
import dev.stripeflare.Wallet;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The stripeflare middleware as a Jakarta Servlet 6 {@link Filter}: gives every request a
 * wallet session and every application response a price.
 *
 * <pre>{@code
 * Wallet wallet = Stripeflare.builder()...build();
 * context.addFilter(new FilterHolder(new StripeflareFilter(wallet, FilterSettings.production())),
 *         "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p><b>For every request</b> (but the webhook) it reads the token from
 * {@code Authorization: Bearer} or the {@code access_token} cookie, resolves it with
 * {@link Wallet#session}, (re)sets the cookie ({@code HttpOnly; Path=/; SameSite=Lax;
 * Max-Age=34560000}, plus {@code Secure} and {@code Domain} unless {@link FilterSettings} asks
 * for development cookies), and answers with {@code X-Balance} and {@code X-PaymentLink}.
 *
 * <p><b>Its own endpoints</b>, under {@link FilterSettings#pathPrefix()}: {@code GET /me} (the
 * public user as JSON, never the token), {@code POST /rotate-token} (the new token only in the
 * cookie), {@code POST /stripe-webhook} (raw body to {@link Wallet#handleWebhookPayload}),
 * {@code GET /checkout-return?session_id=} (the Payment Link's after-completion redirect:
 * {@link Wallet#completeCheckout}, then 303 to {@link FilterSettings#checkoutLandingPath()}).
 *
 * <p><b>Other requests</b> go to the application with a {@link StripeflareSession} attached
 * ({@link StripeflareSession#of}). Their response is held in memory until the handler returns;
 * if it set {@code X-Price: <cents>} (and its status is below 400) the filter charges that amount
 * without overdraft and only then sends the response (with {@code X-Price} and a
 * {@code Server-Timing: stripeflare-charge;dur=<ms>} entry) — or, when the charge is declined, a 402
 * ({@link PaymentRequired}) instead of the handler's body, so nothing paid for leaves unpaid.
 * A request's {@code Idempotency-Key} header makes its charge idempotent for the same method,
 * path and query: a retry is served again but charged once. Without the header every request
 * is charged.
 *
 * <p>Bad input answers a status and a one-line JSON message, never a stack trace: a malformed
 * {@code Authorization: Bearer} or {@code Idempotency-Key} (400), a wrong method (405), a
 * missing body or signature (400), an oversized webhook body (413), an unavailable store (503).
 *
 * <p>Thread-safe and stateless; one instance serves all requests. It does not own the wallet:
 * {@link #destroy()} leaves it open. Register it for {@code DispatcherType.REQUEST} only, and
 * not as async-supported: paid responses are buffered, which asynchronous handlers cannot be.
 */
public final class StripeflareFilter implements Filter {
    /** The response header carrying the balance in cents after any charge. */
    public static final String BALANCE_HEADER = "X-Balance";
    /** The response header carrying the user's Payment Link. */
    public static final String PAYMENT_LINK_HEADER = "X-PaymentLink";
    /** The response header by which a handler names its price in cents. */
    public static final String PRICE_HEADER = BufferedResponse.PRICE_HEADER;
    /** The {@code Server-Timing} metric naming how long an {@code X-Price} charge took, in ms. */
    public static final String CHARGE_TIMING_METRIC = "stripeflare-charge";

    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());

    private final Wallet wallet;
    private final FilterSettings settings;
    private final WalletHeaders headers;
    private final WebhookEndpoint webhook;
    private final RotateTokenEndpoint rotateToken;
    private final CheckoutReturnEndpoint checkoutReturn;
    private final PaidRequests paidRequests;

    /** A filter with {@link FilterSettings#production()}. */
    public StripeflareFilter(Wallet wallet) {
        this(wallet, FilterSettings.production());
    }

    /**
     * A filter over {@code wallet}, which stays owned by the caller.
     *
     * @throws NullPointerException if an argument is null
     */
    public StripeflareFilter(Wallet wallet, FilterSettings settings) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.headers = new WalletHeaders(new AccessTokenCookie(settings));
        this.webhook = new WebhookEndpoint(wallet, settings.maxWebhookBodyBytes());
        this.rotateToken = new RotateTokenEndpoint(wallet, headers);
        this.checkoutReturn = new CheckoutReturnEndpoint(wallet, headers, settings.checkoutLandingPath());
        this.paidRequests = new PaidRequests(headers);
    }

    /** The settings this filter runs with. */
    public FilterSettings settings() {
        return settings;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        String path = pathWithinContext(request);
        if (path.equals(settings.webhookPath())) {
            webhook.handle(request, response);
            return;
        }
        Optional<String> presented;
        Optional<String> idempotencyKey;
        try {
            presented = PresentedToken.read(request);
            idempotencyKey = PaidRequestKey.of(request);
        } catch (PresentedToken.MalformedTokenException | InvalidIdempotencyKeyException e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        Session session;
        try {
            session = wallet.session(presented.orElse(null));
        } catch (StripeflareException e) {
            LOG.log(System.Logger.Level.ERROR, "wallet session failed: " + e.getClass().getName());
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Wallet unavailable; try again");
            return;
        } catch (RuntimeException e) {
            // A wallet bug: answer briefly rather than let the container print a stack trace.
            LOG.log(System.Logger.Level.ERROR, "wallet session failed", e);
            Answers.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Internal error");
            return;
        }
        if (path.equals(settings.mePath())) {
            headers.set(request, response, session.accessToken(), session.balanceCents(), session.paymentLink());
            MeEndpoint.handle(request, response, session);
        } else if (path.equals(settings.rotateTokenPath())) {
            rotateToken.handle(request, response, session);
        } else if (path.equals(settings.checkoutReturnPath())) {
            checkoutReturn.handle(request, response, session);
        } else {
            StripeflareSession attached = new StripeflareSession(wallet, session);
            request.setAttribute(StripeflareSession.ATTRIBUTE, attached);
            paidRequests.run(request, response, chain, attached, idempotencyKey);
        }
    }

    /** The request path after the context path, without {@code ;parameters}; not decoded. */
    private static String pathWithinContext(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int semicolon = uri.indexOf(';');
        if (semicolon >= 0) {
            uri = uri.substring(0, semicolon);
        }
        String context = request.getContextPath();
        return context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    @Override
    public String toString() {
        return "StripeflareFilter[settings=" + settings + "]";
    }
}
