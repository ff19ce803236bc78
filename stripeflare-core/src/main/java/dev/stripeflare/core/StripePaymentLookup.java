package dev.stripeflare.core;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundListParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what webhooks do not carry from Stripe's API, through one {@link StripeClient} built
 * once with the wallet's secret key (never the global {@code Stripe.apiKey}).
 *
 * <p>Every failure — an error status, a timeout, a refused connection, a body that does not
 * read — becomes a {@link StripeUnavailableException}: the webhook answers 503 and Stripe
 * delivers it again. stripe-java itself retries no call ({@code maxNetworkRetries = 0}): the
 * webhook's own redelivery is the retry, and the answer stays within Stripe's timeout.
 * For a Stripe Connect account the wallet accepts, every call carries that account
 * ({@code Stripe-Account}), since its objects live there. Thread-safe (the client is).
 */
final class StripePaymentLookup {
    private final StripeClient client;

    StripePaymentLookup(WebhookSettings settings) {
        this(settings, Optional.empty());
    }

    /** A lookup in {@code connectedAccount}'s Stripe account, or the platform's own when empty. */
    StripePaymentLookup(WebhookSettings settings, Optional<String> connectedAccount) {
        int timeoutMillis = Math.toIntExact(settings.stripeApiTimeout().toMillis());
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(settings.stripeSecretKey())
                .setConnectTimeout(timeoutMillis)
                .setReadTimeout(timeoutMillis)
                .setMaxNetworkRetries(0);
        settings.stripeApiBase().ifPresent(base -> builder.setApiBase(withoutTrailingSlash(base.toString())));
        connectedAccount.ifPresent(builder::setStripeAccount);
        this.client = builder.build();
    }

    /** How a payment was paid: its method's type and, for cards, the card's fingerprint. */
    record PaymentMethod(Optional<String> type, Optional<String> cardFingerprint) {
        static PaymentMethod unknown() {
            return new PaymentMethod(Optional.empty(), Optional.empty());
        }
    }

    /**
     * The payment method of {@code paymentIntentId}'s latest charge (one call:
     * {@code GET /v1/payment_intents/{id}?expand[]=latest_charge}); unknown when the intent has
     * no charge yet.
     */
    PaymentMethod paymentMethodOf(String paymentIntentId) {
        PaymentIntent intent = call("payment intent", () -> client.v1().paymentIntents().retrieve(paymentIntentId,
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build()));
        Charge charge = intent.getLatestChargeObject();
        if (charge == null || charge.getPaymentMethodDetails() == null) {
            return PaymentMethod.unknown();
        }
        Charge.PaymentMethodDetails details = charge.getPaymentMethodDetails();
        Optional<String> fingerprint = Optional.ofNullable(details.getCard())
                .map(Charge.PaymentMethodDetails.Card::getFingerprint);
        return new PaymentMethod(Optional.ofNullable(details.getType()), fingerprint);
    }

    /** Every refund of {@code chargeId}, oldest last, following pagination. */
    List<Refund> refundsOf(String chargeId) {
        return call("refunds", () -> {
            List<Refund> all = new ArrayList<>();
            for (Refund refund : client.v1().refunds()
                    .list(RefundListParams.builder().setCharge(chargeId).setLimit(100L).build())
                    .autoPagingIterable()) {
                all.add(refund);
            }
            return all;
        });
    }

    /** The charge {@code chargeId} ({@code GET /v1/charges/{id}}): its PaymentIntent and amounts. */
    Charge charge(String chargeId) {
        return call("charge", () -> client.v1().charges().retrieve(chargeId));
    }

    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    private static <T> T call(String what, StripeCall<T> call) {
        T result;
        try {
            result = call.run();
        } catch (StripeException e) {
            throw new StripeUnavailableException("Stripe API failed reading the " + what + " ("
                    + e.getClass().getSimpleName() + (e.getStatusCode() != null ? ", HTTP " + e.getStatusCode() : "")
                    + ")");
        } catch (RuntimeException unreadable) {
            // Gson's JsonSyntaxException for a body that is not the promised object; paging
            // surfaces StripeException wrapped in a RuntimeException.
            throw new StripeUnavailableException("Stripe API answered an unreadable " + what + " ("
                    + unreadable.getClass().getSimpleName() + ")");
        }
        if (result == null) {
            throw new StripeUnavailableException("Stripe API answered an empty " + what);
        }
        return result;
    }

    private static String withoutTrailingSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
