package dev.stripeflare.core;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Verifies and applies one Stripe webhook delivery: signature ({@link WebhookVerifier}), then the
 * event ({@link StripeEventReader}), then the handler for its type. Never throws; every problem
 * is a {@link WebhookResult} with the status to answer:
 * <ul>
 *   <li>400 {@code REJECTED_SIGNATURE} / {@code REJECTED_PAYLOAD}: nothing changed (an amount the
 *       store cannot hold, e.g. one overflowing a balance, is a {@code REJECTED_PAYLOAD});</li>
 *   <li>503 {@code RETRY_LATER}: Stripe's API or the store failed; the failing step changed
 *       nothing, and every step already taken is exactly-once, so Stripe's redelivery is safe;</li>
 *   <li>500 {@code RETRY_LATER}: a bug of ours, logged with its stack trace;</li>
 *   <li>200 otherwise, and only after the store committed.</li>
 * </ul>
 * <p><b>Stripe Connect.</b> An event whose top-level {@code account} is set happened in a
 * connected account, not in this wallet's: it is {@code IGNORED} (200), unless that account was
 * accepted with {@link Stripeflare.Builder#acceptConnectedAccount}; then it is applied like the
 * platform's own events, and every Stripe API call it needs is made in that account.
 *
 * <p><b>Live and test mode.</b> A wallet whose API key is a live key ({@code sk_live_…},
 * {@code rk_live_…}) applies live-mode events only, and one with a test key test-mode events only;
 * an event of the other mode is {@code IGNORED} (200), except as below. Test payments cost nothing and anyone can
 * pay a test-mode Payment Link with their own {@code client_reference_id}: if the test endpoint's
 * signing secret were ever configured next to the live one, they must still never credit a live
 * wallet. A key of neither form (a test double) checks nothing.
 *
 * A live-mode checkout paid at a test-mode wallet is real money that no account gets: it is kept
 * as an unclaimed payment ({@code WRONG_MODE}, ADR 31) rather than ignored.
 *
 * <p>Logs (through {@link System.Logger}) event ids, types and outcomes, never payloads, tokens,
 * {@code client_reference_id}s or secrets. Refused signatures go through a {@link RejectionLog}
 * (one WARNING per cause per minute, with counts); outcomes an operator must act on
 * ({@code UNCLAIMED}, {@code CURRENCY_MISMATCH}, {@code DEFERRED}) are logged at WARNING, the
 * others at DEBUG. Thread-safe.
 */
final class StripeWebhooks {
    private static final System.Logger LOG = System.getLogger(StripeWebhooks.class.getName());
    private static final Set<WebhookOutcome> TO_ACT_ON = Set.of(WebhookOutcome.UNCLAIMED,
            WebhookOutcome.CURRENCY_MISMATCH, WebhookOutcome.DEFERRED);
    private static final Set<String> PAID_CHECKOUTS = Set.of("checkout.session.completed",
            "checkout.session.async_payment_succeeded");

    private final RejectionLog rejections;

    private final WebhookVerifier verifier;
    private final StripeEventReader reader = new StripeEventReader();
    private final Handlers platform;
    private final Map<String, Handlers> connectedAccounts;
    private final Optional<Boolean> liveMode;
    private final java.time.Duration maxEventAge;
    private final java.time.Clock clock;

    /** The handlers of one Stripe account's events, calling Stripe's API in that account. */
    private record Handlers(CheckoutCompletedHandler checkouts, RefundHandler refunds, DisputeHandler disputes) {
    }

    /**
     * @param events      what to tell the wallet's listeners after each committed change
     * @param maxEventAge events created longer ago than this are refused: the operation ids that
     *                    would recognise them as duplicates may have been pruned (ADR 30)
     */
    StripeWebhooks(UserStore store, AccessTokens tokens, ReferenceCipher cipher, WebhookSettings settings,
                   WalletEvents events, java.time.Duration maxEventAge) {
        this.maxEventAge = maxEventAge;
        this.clock = settings.clock();
        this.verifier = new WebhookVerifier(settings.signingSecrets(), settings.tolerance(), settings.clock());
        this.rejections = new RejectionLog(settings.clock());
        this.liveMode = modeOf(settings.stripeSecretKey());
        this.platform = handlers(store, tokens, cipher, settings, Optional.empty(), events);
        this.connectedAccounts = settings.connectedAccounts().stream().collect(Collectors.toUnmodifiableMap(
                Function.identity(), account -> handlers(store, tokens, cipher, settings, Optional.of(account),
                        events)));
    }

    private static Handlers handlers(UserStore store, AccessTokens tokens, ReferenceCipher cipher,
                                     WebhookSettings settings, Optional<String> account, WalletEvents events) {
        StripePaymentLookup stripe = new StripePaymentLookup(settings, account);
        CheckoutCompletedHandler checkouts = new CheckoutCompletedHandler(store, tokens, cipher,
                new PaymentIdentityLinker(stripe), settings.checkouts(), settings.currency(),
                settings.checkoutClaimWindow(), settings.clock(), events);
        PaymentReverser reverser = new PaymentReverser(store, settings.currency(), settings.clock(), events);
        return new Handlers(checkouts, new RefundHandler(reverser, stripe), new DisputeHandler(reverser, stripe));
    }

    WebhookResult handle(String payload, String signatureHeader) {
        WebhookVerifier.Verdict verdict = verifier.check(payload, signatureHeader);
        if (!verdict.accepted()) {
            rejections.rejected(verdict.cause().orElseThrow(), verdict.skewSeconds());
            return WebhookResults.rejectedSignature();
        }
        Event event = null;
        try {
            event = reader.read(payload);
            Handlers handlers = event.getAccount() == null ? platform : connectedAccounts.get(event.getAccount());
            WebhookResult result;
            // Stripe marks every event; one without the mark is left to the checks below.
            if (tooOld(event)) {
                LOG.log(Level.WARNING, "Stripe event {0} ({1}) refused: created at epoch second {2}, longer ago"
                        + " than the {3} days whose operation ids are kept; applying it could apply it twice", event.getId(),
                        event.getType(), event.getCreated(), maxEventAge.toDays());
                result = WebhookResults.settled(WebhookOutcome.IGNORED, "event older than the operation retention;"
                        + " not applied");
            } else if (liveMode.isPresent() && event.getLivemode() != null && !liveMode.get().equals(event.getLivemode())) {
                // Test payments are not money; a live payment at a test wallet is, and no account gets it.
                result = !liveMode.get() && handlers != null && PAID_CHECKOUTS.contains(event.getType())
                        ? handlers.checkouts().keepUnclaimed(reader.object(event, Session.class),
                                UnclaimedPayment.Reason.WRONG_MODE)
                        : WebhookResults.settled(WebhookOutcome.IGNORED, liveMode.get()
                                ? "test-mode event at a live-mode wallet" : "live-mode event at a test-mode wallet");
            } else if (handlers == null) {
                result = WebhookResults.settled(WebhookOutcome.IGNORED, "event of a Stripe Connect account this wallet"
                        + " does not accept");
            } else {
                result = dispatch(event, handlers);
            }
            LOG.log(TO_ACT_ON.contains(result.outcome()) ? Level.WARNING : Level.DEBUG, "Stripe event {0} ({1}): {2}",
                    event.getId(), event.getType(), result.outcome());
            return result;
        } catch (MalformedEventException e) {
            LOG.log(Level.WARNING, "Stripe webhook refused: {0}", e.getMessage());
            return WebhookResults.rejectedPayload(e.getMessage());
        } catch (InvalidAmountException e) {
            LOG.log(Level.WARNING, "Stripe event {0} refused: an amount out of range; nothing changed", idOf(event));
            return WebhookResults.rejectedPayload("an amount is out of range; nothing changed");
        } catch (StripeUnavailableException e) {
            LOG.log(Level.WARNING, "Stripe event {0} left for redelivery: {1}", idOf(event), e.getMessage());
            return WebhookResults.retryLater(e.getMessage());
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "Stripe event {0} left for redelivery: the store failed ({1})",
                    idOf(event), e.getClass().getSimpleName());
            return WebhookResults.retryLater("the store failed; nothing was changed");
        } catch (RuntimeException bug) {
            LOG.log(Level.ERROR, "Stripe event " + idOf(event) + " failed unexpectedly", bug);
            return WebhookResults.internalError();
        }
    }

    private WebhookResult dispatch(Event event, Handlers handlers) {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    handlers.checkouts().handle(reader.object(event, Session.class));
            case "checkout.session.async_payment_failed" ->
                    WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED, "asynchronous payment failed; nothing to credit");
            case "charge.refunded" -> handlers.refunds().handle(reader.object(event, Charge.class));
            case "charge.refund.updated" -> handlers.refunds().updated(reader.object(event, Refund.class));
            case "charge.dispute.created", "charge.dispute.funds_withdrawn" ->
                    handlers.disputes().handle(reader.object(event, Dispute.class));
            case "charge.dispute.closed" -> handlers.disputes().closed(reader.object(event, Dispute.class));
            default -> WebhookResults.settled(WebhookOutcome.IGNORED, "event type not handled");
        };
    }

    /**
     * Whether the event was created before the oldest time whose operation ids are surely still
     * kept. An event without {@code created} is left to the handlers (Stripe always sets it).
     */
    private boolean tooOld(Event event) {
        Long created = event.getCreated();
        // Compared as seconds: any long is a possible (hostile) value, not every one an Instant.
        return created != null && created < clock.instant().minus(maxEventAge).getEpochSecond();
    }

    /** Live (true) or test (false) for Stripe's secret and restricted keys; empty for anything else. */
    private static Optional<Boolean> modeOf(String apiKey) {
        if (apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_")) {
            return Optional.of(true);
        }
        if (apiKey.startsWith("sk_test_") || apiKey.startsWith("rk_test_")) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    private static String idOf(Event event) {
        return event == null ? "(unread)" : event.getId();
    }
}
