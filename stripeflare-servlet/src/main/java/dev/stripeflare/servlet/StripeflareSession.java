package dev.stripeflare.servlet;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * The wallet session of one request, as {@link StripeflareFilter} resolved it: who the user is,
 * their balance, their payment link, and a charge function bound to them.
 *
 * <pre>{@code
 * StripeflareSession wallet = StripeflareSession.of(request);
 * if (wallet.balanceCents() < 25) {
 *     PaymentRequired.send(request, response);
 *     return;
 * }
 * response.setHeader("X-Price", "25");   // charged by the filter when the response commits
 * }</pre>
 *
 * <p>One instance per request, stored as the request attribute {@link #ATTRIBUTE}. Thread-safe:
 * the balance it reports is the one returned by the latest charge made through it (or, before
 * any, the one resolved for the request). Its {@code toString()} never shows the access token.
 */
public final class StripeflareSession {
    /** The request attribute holding the instance. */
    public static final String ATTRIBUTE = StripeflareSession.class.getName();

    private final Wallet wallet;
    private final Session session;
    private volatile long balanceCents;

    StripeflareSession(Wallet wallet, Session session) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.session = Objects.requireNonNull(session, "session");
        this.balanceCents = session.balanceCents();
    }

    /**
     * The session of {@code request}.
     *
     * @throws IllegalStateException if {@link StripeflareFilter} did not run for this request
     *                               (it is not mapped to the request's path)
     * @param request a request the filter ran for
     * @return its session
     */
    public static StripeflareSession of(ServletRequest request) {
        Object attribute = request.getAttribute(ATTRIBUTE);
        if (attribute instanceof StripeflareSession session) {
            return session;
        }
        throw new IllegalStateException("no stripeflare session on this request: is StripeflareFilter mapped to it?");
    }

    /**
     * The wallet's view of the request, as resolved before the handler ran.
     *
     * @return the session
     */
    public Session session() {
        return session;
    }

    /**
     * The account the request's token opens, or empty for a visitor whose token opens none yet.
     *
     * @return the account, if any
     */
    public Optional<User> user() {
        return session.user();
    }

    /**
     * Whether the request's token opens an account (see {@link User#registered()}).
     *
     * @return true if an account is open
     */
    public boolean registered() {
        return session.registered();
    }

    /**
     * The balance in cents: as resolved, then as left by the latest charge through this object.
     *
     * @return the balance in cents
     */
    public long balanceCents() {
        return balanceCents;
    }

    /**
     * The Payment Link (with {@code client_reference_id}) that tops up this user's wallet. On a
     * request that could not be given a token (a cross-site or non-GET request without one; the
     * filter then sends no cookie and no {@code X-PaymentLink}) it names a token the client does
     * not hold: do not show it there.
     *
     * @return the Payment Link URL
     */
    public String paymentLink() {
        return session.paymentLink();
    }

    /**
     * The user's access token: a secret bearer credential. Keep it for charging later outside a
     * request ({@link Wallet#charge(ChargeRequest)}); never log it or put it in a page.
     *
     * @return the token
     */
    public String accessToken() {
        return session.accessToken();
    }

    /**
     * Charges the user now, without overdraft, in addition to any {@code X-Price}. See
     * {@link Wallet#charge(ChargeRequest)} for the outcomes and guarantees.
     *
     * @throws dev.stripeflare.InvalidAmountException if {@code amountCents <= 0}; nothing changed
     * @throws dev.stripeflare.StoreException         if the store fails; nothing changed
     * @param amountCents the amount, in cents
     * @return the outcome and the balance after it
     */
    public ChargeResult charge(long amountCents) {
        return charge(ChargeRequest.of(session.accessToken(), amountCents));
    }

    /**
     * Charges the user now as {@code request} says; its access token must be this session's. A
     * token minted for this request (the client presented none, or a forged one) is held by no
     * client yet: it is never charged and answers {@code NOT_REGISTERED} — so, with allowances
     * for visitors, no account is opened for a token the client may never keep (a client that
     * drops cookies would otherwise get a new account and allowance with every request).
     *
     * @throws IllegalArgumentException if the request names another token; nothing changed
     * @see Wallet#charge(ChargeRequest)
     * @param request the charge, with this session's token
     * @return the outcome and the balance after it
     */
    public ChargeResult charge(ChargeRequest request) {
        if (!request.accessToken().equals(session.accessToken())) {
            throw new IllegalArgumentException("the charge request names another user's token");
        }
        if (session.isNew()) {
            return ChargeResult.notRegistered();
        }
        ChargeResult result = wallet.charge(request);
        // A visitor's first charge may have opened its account (allowances for visitors).
        if (session.user().isPresent() || result.outcome() != dev.stripeflare.ChargeOutcome.NOT_REGISTERED) {
            balanceCents = result.balanceCents();
        }
        return result;
    }

    @Override
    public String toString() {
        return "StripeflareSession[accessToken=<redacted>, registered=" + registered()
                + ", balanceCents=" + balanceCents + "]";
    }
}
