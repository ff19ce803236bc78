package dev.stripeflare.servlet;

import dev.stripeflare.InvalidIdempotencyKeyException;
import dev.stripeflare.Session;
import dev.stripeflare.StripeflareException;
import dev.stripeflare.Wallet;
import dev.stripeflare.http.MalformedAuthorizationException;
import dev.stripeflare.http.PresentedToken;
import jakarta.servlet.DispatcherType;
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
 * FilterHolder holder = new FilterHolder(new StripeflareFilter(wallet, FilterSettings.production()));
 * holder.setAsyncSupported(true);
 * context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
 * }</pre>
 *
 * <p><b>For every request</b> (but the webhook) it reads the token from
 * {@code Authorization: Bearer} or the access-token cookie ({@code __Host-access_token} in
 * production, see {@link FilterSettings}) and resolves it with {@link Wallet#session}; a token
 * the wallet did not mint counts as absent. The cookie is sent only when the token changes —
 * minted, replacing an absent or forged one, or rotated — and a new token is handed out only on
 * a {@code GET}/{@code HEAD} that does not come from another site ({@code Sec-Fetch-Site},
 * {@code Origin}; ADR 19): a cross-site request never replaces the cookie a browser holds.
 * Responses carry {@code X-Balance} and, when the client holds the token, {@code X-PaymentLink}.
 *
 * <p><b>Its own endpoints</b>, under {@link FilterSettings#pathPrefix()}: {@code GET /me} (the
 * public user as JSON, never the token), {@code POST /rotate-token} (the new token only in the
 * cookie; 403 when cross-site without a bearer token), {@code POST /stripe-webhook} (raw body,
 * read within a deadline and at a minimum rate, to {@link Wallet#handleWebhookPayload}),
 * {@code GET /checkout-return?session_id=} (the Payment Link's after-completion redirect:
 * {@link Wallet#completeCheckout}, then 303 to {@link FilterSettings#checkoutLandingPath()}).
 *
 * <p><b>Other requests</b> go to the application with a {@link StripeflareSession} attached
 * ({@link StripeflareSession#of}). Their response is held until it would commit — the first
 * flush, the buffer filling up, {@code sendError}/{@code sendRedirect}, or the handler (or its
 * async context) finishing — and at that moment, if it set {@code X-Price: <cents>} and delivers
 * what was priced ({@code ChargeRule}: a 2xx with a body, not to {@code HEAD}/{@code OPTIONS};
 * any 3xx but 304, whose {@code Location} is delivered whatever the method; never via
 * {@code sendError}), the filter charges that amount without overdraft (ADR 20). Charged, the
 * response streams out with {@code X-Price} and {@code Server-Timing: stripeflare-charge;dur=<ms>};
 * declined, a 402 ({@link PaymentRequired}) goes out instead and nothing paid for leaves. Memory
 * per request is bounded by the buffer. A request's {@code Idempotency-Key} header makes its
 * charge idempotent for the same method, path and query.
 *
 * <p>Bad input answers a status and a one-line JSON message, never a stack trace: a malformed
 * {@code Authorization: Bearer} or {@code Idempotency-Key} (400), a wrong method (405), a
 * cross-site rotation (403), a missing body or signature (400), a slow webhook body (408), an
 * oversized one (413), an unavailable store (503).
 *
 * <p>Thread-safe and stateless; one instance serves all requests. It does not own the wallet:
 * {@link #destroy()} leaves it open. Map it for {@code DispatcherType.REQUEST} (and
 * {@code ASYNC} if handlers {@code dispatch()} from an async context), async-supported so the
 * webhook body is read without holding a thread; other dispatches pass through untouched.
 */
public final class StripeflareFilter implements Filter {
    /** The response header carrying the balance in cents after any charge. */
    public static final String BALANCE_HEADER = "X-Balance";
    /** The response header carrying the user's Payment Link. */
    public static final String PAYMENT_LINK_HEADER = "X-PaymentLink";
    /** The response header by which a handler names its price in cents. */
    public static final String PRICE_HEADER = ChargingResponse.PRICE_HEADER;
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

    /**
     * A filter with {@link FilterSettings#production()}.
     *
     * @param wallet the wallet, which stays owned by the caller
     */
    public StripeflareFilter(Wallet wallet) {
        this(wallet, FilterSettings.production());
    }

    /**
     * A filter over {@code wallet}, which stays owned by the caller.
     *
     * @throws NullPointerException if an argument is null
     * @param wallet   the wallet
     * @param settings the paths, cookie and limits
     */
    public StripeflareFilter(Wallet wallet, FilterSettings settings) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.headers = new WalletHeaders(new AccessTokenCookie(settings));
        this.webhook = new WebhookEndpoint(wallet, settings);
        this.rotateToken = new RotateTokenEndpoint(wallet, headers);
        this.checkoutReturn = new CheckoutReturnEndpoint(wallet, headers, settings.checkoutLandingPath());
        this.paidRequests = new PaidRequests(headers, settings.responseBufferBytes());
    }

    /**
     * The settings this filter runs with.
     *
     * @return the settings
     */
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
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            PaidRequests.resume(request, response, chain);
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        String path = pathWithinContext(request);
        if (path.equals(settings.webhookPath())) {
            webhook.handle(request, response);
            return;
        }
        Optional<PresentedToken> presented;
        Optional<String> idempotencyKey;
        try {
            presented = headers.cookie().read(request);
            idempotencyKey = PaidRequestKey.of(request);
        } catch (MalformedAuthorizationException | InvalidIdempotencyKeyException e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        Session session;
        try {
            session = wallet.session(presented.map(PresentedToken::token).orElse(null));
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
        RequestSite site = RequestSite.of(request);
        TokenDelivery delivery = TokenDelivery.decide(session, presented, site, request.getMethod());
        if (path.equals(settings.mePath())) {
            headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
            MeEndpoint.handle(request, response, session, delivery.held());
        } else if (path.equals(settings.rotateTokenPath())) {
            rotateToken.handle(request, response, session, delivery, presented, site);
        } else if (path.equals(settings.checkoutReturnPath())) {
            checkoutReturn.handle(request, response, session, delivery);
        } else {
            StripeflareSession attached = new StripeflareSession(wallet, session);
            request.setAttribute(StripeflareSession.ATTRIBUTE, attached);
            paidRequests.run(request, response, chain, attached, delivery, idempotencyKey);
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
