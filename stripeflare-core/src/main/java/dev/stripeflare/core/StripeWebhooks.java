package dev.stripeflare.core;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import dev.stripeflare.StoreException;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;

/**
 * Verifies and applies one Stripe webhook delivery: signature ({@link WebhookVerifier}), then the
 * event ({@link StripeEventReader}), then the handler for its type. Never throws; every problem
 * is a {@link WebhookResult} with the status to answer:
 * <ul>
 *   <li>400 {@code REJECTED_SIGNATURE} / {@code REJECTED_PAYLOAD}: nothing changed;</li>
 *   <li>503 {@code RETRY_LATER}: Stripe's API or the store failed; the failing step changed
 *       nothing, and every step already taken is exactly-once, so Stripe's redelivery is safe;</li>
 *   <li>500 {@code RETRY_LATER}: a bug of ours, logged with its stack trace;</li>
 *   <li>200 otherwise, and only after the store committed.</li>
 * </ul>
 * Logs (through {@link System.Logger}) event ids, types and outcomes, never payloads, tokens,
 * {@code client_reference_id}s or secrets. Thread-safe.
 */
final class StripeWebhooks {
    private static final System.Logger LOG = System.getLogger(StripeWebhooks.class.getName());

    private final WebhookVerifier verifier;
    private final StripeEventReader reader = new StripeEventReader();
    private final CheckoutCompletedHandler checkouts;
    private final RefundHandler refunds;
    private final DisputeHandler disputes;

    StripeWebhooks(UserStore store, AccessTokens tokens, ReferenceCipher cipher, WebhookSettings settings) {
        this.verifier = new WebhookVerifier(settings.signingSecrets(), settings.tolerance(), settings.clock());
        StripePaymentLookup stripe = new StripePaymentLookup(settings);
        this.checkouts = new CheckoutCompletedHandler(store, tokens, cipher, new PaymentIdentityLinker(stripe),
                settings.currency(), settings.checkoutClaimWindow(), settings.clock());
        PaymentReverser reverser = new PaymentReverser(store, settings.currency(), settings.clock());
        this.refunds = new RefundHandler(reverser, stripe);
        this.disputes = new DisputeHandler(reverser, stripe);
    }

    WebhookResult handle(String payload, String signatureHeader) {
        if (!verifier.verify(payload, signatureHeader)) {
            LOG.log(Level.INFO, "Stripe webhook refused: signature missing, invalid or outside the tolerance");
            return WebhookResults.rejectedSignature();
        }
        Event event = null;
        try {
            event = reader.read(payload);
            WebhookResult result = dispatch(event);
            LOG.log(Level.DEBUG, "Stripe event {0} ({1}): {2}", event.getId(), event.getType(), result.outcome());
            return result;
        } catch (MalformedEventException e) {
            LOG.log(Level.WARNING, "Stripe webhook refused: {0}", e.getMessage());
            return WebhookResults.rejectedPayload(e.getMessage());
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

    private WebhookResult dispatch(Event event) {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    checkouts.handle(reader.object(event, Session.class));
            case "checkout.session.async_payment_failed" ->
                    WebhookResults.settled(WebhookOutcome.ACKNOWLEDGED, "asynchronous payment failed; nothing to credit");
            case "charge.refunded" -> refunds.handle(reader.object(event, Charge.class));
            case "charge.dispute.created" -> disputes.handle(reader.object(event, Dispute.class));
            default -> WebhookResults.settled(WebhookOutcome.IGNORED, "event type not handled");
        };
    }

    private static String idOf(Event event) {
        return event == null ? "(unread)" : event.getId();
    }
}
