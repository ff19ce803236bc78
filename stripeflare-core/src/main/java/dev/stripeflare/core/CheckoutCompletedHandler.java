package dev.stripeflare.core;

import com.stripe.model.checkout.Session;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.event.CreditedEvent;
import dev.stripeflare.event.UnclaimedPaymentEvent;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Credits a paid Payment Link checkout ({@code checkout.session.completed} with
 * {@code payment_status=paid}, or {@code checkout.session.async_payment_succeeded}) to the account
 * of the token its {@code client_reference_id} encrypts, exactly once per checkout session.
 *
 * <p>The operation id is {@code "checkout:" + session id}, not the event id: the completed event
 * of a card payment and the async-succeeded event of a bank debit name the same session, and
 * either may arrive first or twice; whichever the store applies first credits, every other
 * delivery is a {@code DUPLICATE}. The credit's payment reference is the PaymentIntent id, which
 * refunds and disputes name.
 *
 * <p><b>Whose account, and who may open it</b> (ADR entry 20). The store decides, in the same
 * atomic step as the credit: the account the token opens; else the account a revoked token used
 * to open; else the payer's account found by verified email or card fingerprint — which the
 * paying token does <em>not</em> get to open unless the browser that completed this checkout has
 * already returned with it (a pending claim); else a new account. The payer's identity is asked
 * from Stripe only when the token opens no account. The credit carries the checkout session id
 * and {@code claimableUntil = now + claim window}, so that the returning browser can claim the
 * checkout through {@link dev.stripeflare.Wallet#completeCheckout}.
 *
 * <p>Rules, in order: an unpaid session is acknowledged (its async event will credit); a checkout
 * of another Payment Link than the wallet's (when {@code paymentLinkId} is set) is ignored; a
 * paid checkout that cannot be credited is kept as an {@link UnclaimedPayment} (ADR 31), logged
 * at WARNING and told to the listeners: no {@code client_reference_id} on the wallet's own
 * link, or one that does not decrypt under the wallet's secrets while it is on the wallet's own
 * link or has the form of a wallet reference (an instance with another {@code DB_SECRET}), or
 * another currency than the wallet's ({@code CURRENCY_MISMATCH}). A reference of another form
 * without a configured {@code paymentLinkId} is ignored (another application's checkout on the
 * same Stripe account). A missing amount or PaymentIntent on a paid session is refused (400,
 * Stripe keeps retrying it and shows it failed); an amount of 0 is ignored (nothing to credit).
 * A checkout under Adaptive Pricing whose {@code currency_conversion.source_currency} is the
 * wallet's currency is credited its source amount, the price the Payment Link was set in.
 */
final class CheckoutCompletedHandler {
    static final String PAID = "paid";
    private static final System.Logger LOG = System.getLogger(CheckoutCompletedHandler.class.getName());
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");

    private final UserStore store;
    private final AccessTokens tokens;
    private final ReferenceCipher cipher;
    private final PaymentIdentityLinker linker;
    private final WebhookSettings.CheckoutPolicy policy;
    private final String currency;
    private final Duration claimWindow;
    private final Clock clock;
    private final WalletEvents events;

    CheckoutCompletedHandler(UserStore store, AccessTokens tokens, ReferenceCipher cipher,
                             PaymentIdentityLinker linker, WebhookSettings.CheckoutPolicy policy, String currency,
                             Duration claimWindow, Clock clock, WalletEvents events) {
        this.store = store;
        this.events = events;
        this.policy = policy;
        this.tokens = tokens;
        this.cipher = cipher;
        this.linker = linker;
        this.currency = currency;
        this.claimWindow = claimWindow;
        this.clock = clock;
    }

    /**
     * @throws MalformedEventException    if a paid session lacks what a credit needs
     * @throws StripeUnavailableException if login by payment cannot read Stripe's API
     */
    WebhookResult handle(Session session) {
        String sessionId = MalformedEventException.require(session.getId(), "checkout session id");
        if (!PAID.equals(session.getPaymentStatus())) {
            return WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    "checkout session not paid yet (" + session.getPaymentStatus() + "); awaiting its outcome");
        }
        boolean ownLink = policy.paymentLinkId().isPresent();
        if (ownLink && !policy.paymentLinkId().get().equals(session.getPaymentLink())) {
            return WebhookResults.settled(WebhookOutcome.IGNORED,
                    "checkout of another Payment Link than the wallet's; not a top-up");
        }
        String reference = session.getClientReferenceId();
        if (reference == null || reference.isBlank()) {
            return ownLink ? keepUnclaimed(session, UnclaimedPayment.Reason.MISSING_REFERENCE)
                    : WebhookResults.settled(WebhookOutcome.IGNORED, "checkout session has no client_reference_id");
        }
        Optional<String> token = cipher.decrypt(reference);
        if (token.isEmpty()) {
            return ownLink || ReferenceCipher.hasWalletForm(reference)
                    ? keepUnclaimed(session, UnclaimedPayment.Reason.UNREADABLE_REFERENCE)
                    : WebhookResults.settled(WebhookOutcome.IGNORED, "client_reference_id was not issued by this wallet");
        }
        Money paid = amountPaid(session);
        String operationId = "checkout:" + sessionId;
        if (!currency.equals(paid.currency())) {
            return keepUnclaimed(session, UnclaimedPayment.Reason.OTHER_CURRENCY);
        }
        if (paid.cents() <= 0) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "checkout session paid nothing");
        }
        String paymentIntent = MalformedEventException.require(session.getPaymentIntent(), "payment_intent");
        String name = session.getCustomerDetails() == null ? null : session.getCustomerDetails().getName();
        String email = session.getCustomerDetails() == null ? null : session.getCustomerDetails().getEmail();
        String tokenHash = tokens.hash(token.get());
        Instant now = clock.instant();

        // Stripe is asked who paid only with login by payment on, and only when the token opens
        // no account: a top-up of an open account needs no identification, and costs no API call.
        PaymentProfile profile = !policy.loginByPayment() || store.findByTokenHash(tokenHash).isPresent()
                ? new PaymentProfile(name, email, null, null)
                : linker.identify(paymentIntent, name, email);
        CreditResult result = store.credit(new PaymentCredit(operationId, tokenHash, paid.cents(), paymentIntent,
                profile, sessionId, now.plus(claimWindow), "Stripe checkout " + sessionId, now));

        if (result.status() == CreditResult.Status.DUPLICATE) {
            return WebhookResults.settled(WebhookOutcome.DUPLICATE, "checkout session already credited",
                    result.userId());
        }
        if (events.active()) {
            CreditedEvent credited = new CreditedEvent(result.userId(), paid.cents(), result.balanceCents(),
                    operationId, paymentIntent, now);
            events.deliver("credited", listener -> listener.onCredited(credited));
        }
        return switch (result.account()) {
            case EXISTING, CREATED -> WebhookResults.settled(WebhookOutcome.CREDITED,
                    "credited " + paid.cents(), result.userId());
            case IDENTIFIED -> WebhookResults.settled(WebhookOutcome.PAYER_IDENTIFIED,
                    "credited " + paid.cents() + " to the account the payer already had; the paying token gains"
                            + " access only when the payer's browser returns from the checkout", result.userId());
            case LINKED -> WebhookResults.settled(WebhookOutcome.LOGIN_BY_PAYMENT,
                    "credited " + paid.cents() + " to the account the payer already had; the returned browser's"
                            + " token now opens it", result.userId());
            case REVOKED_TOKEN -> WebhookResults.settled(WebhookOutcome.REVOKED_TOKEN,
                    "credited " + paid.cents() + " to the account the revoked token used to open; the token stays"
                            + " revoked", result.userId());
        };
    }

    /**
     * Keeps a paid checkout that cannot be credited as an unclaimed payment, once per checkout
     * session: a redelivery, or the session's other event, is a {@code DUPLICATE}. An unpaid
     * session is acknowledged (its async event decides), one that paid nothing is ignored.
     *
     * @throws MalformedEventException if the session lacks an amount or a currency
     */
    WebhookResult keepUnclaimed(Session session, UnclaimedPayment.Reason reason) {
        String sessionId = MalformedEventException.require(session.getId(), "checkout session id");
        if (!PAID.equals(session.getPaymentStatus())) {
            return WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED,
                    "checkout session not paid yet (" + session.getPaymentStatus() + "); awaiting its outcome");
        }
        Money paid = amountPaid(session);
        if (paid.cents() <= 0) {
            return WebhookResults.settled(WebhookOutcome.IGNORED, "checkout session paid nothing");
        }
        if (!CURRENCY.matcher(paid.currency()).matches()) {
            throw new MalformedEventException("checkout session " + sessionId + " has a malformed currency");
        }
        String email = session.getCustomerDetails() == null ? null : session.getCustomerDetails().getEmail();
        UnclaimedPayment payment = UnclaimedPayment.received(sessionId, session.getPaymentIntent(), paid.cents(),
                paid.currency(), email, reason, clock.instant());
        if (!store.recordUnclaimed(payment)) {
            return WebhookResults.settled(WebhookOutcome.DUPLICATE, "checkout session already recorded");
        }
        LOG.log(Level.WARNING, "Stripe checkout {0} paid {1} {2} but was not credited ({3}); kept as an unclaimed"
                + " payment: {4}", sessionId, paid.cents(), paid.currency(), reason,
                reason == UnclaimedPayment.Reason.OTHER_CURRENCY ? "refund it (the wallet never converts)"
                        : "assign it to the payer's account or refund it");
        if (events.active()) {
            events.deliver("unclaimed payment", listener -> listener.onUnclaimedPayment(
                    new UnclaimedPaymentEvent(payment)));
        }
        return reason == UnclaimedPayment.Reason.OTHER_CURRENCY
                ? WebhookResults.settled(WebhookOutcome.CURRENCY_MISMATCH, "paid in " + paid.currency()
                        + ", wallet is in " + currency + "; kept as an unclaimed payment, balance unchanged")
                : WebhookResults.settled(WebhookOutcome.UNCLAIMED, "paid, but not credited ("
                        + reason + "); kept as an unclaimed payment for an operator");
    }

    private record Money(long cents, String currency) {
    }

    private Money amountPaid(Session session) {
        Session.CurrencyConversion conversion = session.getCurrencyConversion();
        if (conversion != null && conversion.getSourceCurrency() != null
                && currency.equals(conversion.getSourceCurrency().toLowerCase(Locale.ROOT))) {
            return new Money(MalformedEventException.require(conversion.getAmountTotal(), "currency_conversion.amount_total"), currency);
        }
        long cents = MalformedEventException.require(session.getAmountTotal(), "amount_total");
        if (cents < 0) {
            throw new MalformedEventException("checkout session " + session.getId() + " has a negative amount_total");
        }
        return new Money(cents, MalformedEventException.require(session.getCurrency(), "currency").toLowerCase(Locale.ROOT));
    }
}
