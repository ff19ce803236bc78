package dev.stripeflare.core;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentLink;
import com.stripe.model.WebhookEndpoint;
import com.stripe.param.WebhookEndpointListParams;
import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.SelfCheckReport.Check;
import dev.stripeflare.SelfCheckReport.Status;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The start-up check a host runs ({@link dev.stripeflare.Wallet#selfCheck()}): asks Stripe's API,
 * with the wallet's own key, whether the wallet can be paid. Three checks, each PASS, FAIL or
 * SKIPPED with a sentence an operator can act on:
 * <ol>
 *   <li>{@value #API_KEY}: {@code GET /v1/balance} answers (a restricted key that may not read
 *       the balance is still a valid key);</li>
 *   <li>{@value #PAYMENT_LINK}: {@code GET /v1/payment_links/{paymentLinkId}} is active, is the
 *       link given as {@code paymentLink}, and is in the wallet's currency (skipped without a
 *       {@code paymentLinkId}: the link's URL does not name its id);</li>
 *   <li>{@value #WEBHOOK_ENDPOINT}: {@code GET /v1/webhook_endpoints} lists an enabled endpoint
 *       subscribed to every event the wallet reads, at the API version stripe-java reads
 *       ({@link Stripe#API_VERSION}).</li>
 * </ol>
 * Only reads; never throws for what Stripe answers. The signing secret cannot be checked this way
 * (Stripe shows it only once); a wrong one shows as refused signatures in the log.
 */
final class SelfCheck {
    static final String API_KEY = "stripe-api-key";
    static final String PAYMENT_LINK = "payment-link";
    static final String WEBHOOK_ENDPOINT = "webhook-endpoint";
    /** The events the wallet applies; the README asks for all of them. */
    static final List<String> EVENTS = List.of("checkout.session.completed",
            "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "charge.refunded",
            "charge.refund.updated", "charge.dispute.created", "charge.dispute.funds_withdrawn",
            "charge.dispute.closed");
    private static final String ENABLED = "enabled";

    private final StripeClient client;
    private final String currency;
    private final String paymentLink;
    private final Optional<String> paymentLinkId;

    SelfCheck(WebhookSettings settings, String paymentLink) {
        int timeoutMillis = Math.toIntExact(settings.stripeApiTimeout().toMillis());
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(settings.stripeSecretKey())
                .setConnectTimeout(timeoutMillis)
                .setReadTimeout(timeoutMillis)
                .setMaxNetworkRetries(0);
        settings.stripeApiBase().ifPresent(base -> builder.setApiBase(withoutTrailingSlash(base.toString())));
        this.client = builder.build();
        this.currency = settings.currency();
        this.paymentLink = paymentLink;
        this.paymentLinkId = settings.checkouts().paymentLinkId();
    }

    SelfCheckReport run() {
        List<Check> checks = new ArrayList<>();
        Check key = apiKey();
        checks.add(key);
        if (key.status() == Status.FAIL) {
            String why = "not checked: " + API_KEY + " failed";
            checks.add(new Check(PAYMENT_LINK, Status.SKIPPED, why));
            checks.add(new Check(WEBHOOK_ENDPOINT, Status.SKIPPED, why));
        } else {
            checks.add(paymentLink());
            checks.add(webhookEndpoint());
        }
        return new SelfCheckReport(checks);
    }

    private Check apiKey() {
        try {
            client.v1().balance().retrieve();
            return new Check(API_KEY, Status.PASS, "Stripe accepted the API key");
        } catch (PermissionException e) {
            // A subclass of AuthenticationException: the key is valid, it may only not read this.
            return new Check(API_KEY, Status.PASS, "Stripe accepted the API key (a restricted key that may not read"
                    + " the balance)");
        } catch (AuthenticationException e) {
            return new Check(API_KEY, Status.FAIL, "Stripe refused the API key (" + status(e)
                    + "): check stripeSecretKey (STRIPE_SECRET)");
        } catch (StripeException | RuntimeException e) {
            return new Check(API_KEY, Status.FAIL, "could not ask Stripe's API (" + describe(e) + ")");
        }
    }

    private Check paymentLink() {
        if (paymentLinkId.isEmpty()) {
            return new Check(PAYMENT_LINK, Status.SKIPPED, "paymentLinkId is not set, so the link cannot be looked"
                    + " up; set it (plink_…) to have it checked, and to keep other links' checkouts out");
        }
        String id = paymentLinkId.get();
        PaymentLink link;
        try {
            link = client.v1().paymentLinks().retrieve(id);
        } catch (PermissionException e) {
            return new Check(PAYMENT_LINK, Status.SKIPPED, "the API key may not read Payment Links (a restricted"
                    + " key); check " + id + "'s currency in the Dashboard");
        } catch (InvalidRequestException e) {
            return new Check(PAYMENT_LINK, Status.FAIL, "Stripe has no Payment Link " + id + " (" + status(e)
                    + "): is the API key of the same account and mode as the link?");
        } catch (StripeException | RuntimeException e) {
            return new Check(PAYMENT_LINK, Status.FAIL, "could not read Payment Link " + id + " (" + describe(e) + ")");
        }
        List<String> problems = new ArrayList<>();
        if (!Boolean.TRUE.equals(link.getActive())) {
            problems.add("it is not active: customers cannot pay it");
        }
        String linkCurrency = link.getCurrency() == null ? null : link.getCurrency().toLowerCase(Locale.ROOT);
        if (!currency.equals(linkCurrency)) {
            problems.add("it charges in " + linkCurrency + " but the wallet is in " + currency
                    + ": its payments would be kept as unclaimed, never credited");
        }
        if (link.getUrl() != null && !link.getUrl().equals(withoutQuery(paymentLink))) {
            problems.add("its URL is " + link.getUrl() + " but paymentLink is " + withoutQuery(paymentLink));
        }
        return problems.isEmpty()
                ? new Check(PAYMENT_LINK, Status.PASS, "Payment Link " + id + " is active, in " + currency
                        + ", and is the configured link")
                : new Check(PAYMENT_LINK, Status.FAIL, "Payment Link " + id + ": " + String.join("; ", problems));
    }

    private Check webhookEndpoint() {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        try {
            for (WebhookEndpoint endpoint : client.v1().webhookEndpoints()
                    .list(WebhookEndpointListParams.builder().setLimit(100L).build()).autoPagingIterable()) {
                endpoints.add(endpoint);
            }
        } catch (PermissionException e) {
            return new Check(WEBHOOK_ENDPOINT, Status.SKIPPED, "the API key may not list webhook endpoints (a"
                    + " restricted key); check the endpoint in the Dashboard");
        } catch (StripeException | RuntimeException e) {
            return new Check(WEBHOOK_ENDPOINT, Status.FAIL, "could not list webhook endpoints (" + describe(e) + ")");
        }
        List<WebhookEndpoint> enabled = endpoints.stream().filter(e -> ENABLED.equals(e.getStatus())).toList();
        if (enabled.isEmpty()) {
            return new Check(WEBHOOK_ENDPOINT, Status.FAIL, endpoints.isEmpty()
                    ? "the Stripe account has no webhook endpoint: no payment would ever be credited"
                    : "no webhook endpoint is enabled (" + endpoints.size() + " disabled): no payment would be credited");
        }
        WebhookEndpoint best = null;
        Set<String> bestMissing = null;
        for (WebhookEndpoint endpoint : enabled) {
            Set<String> missing = missingEvents(endpoint);
            boolean versionOk = endpoint.getApiVersion() == null || Stripe.API_VERSION.equals(endpoint.getApiVersion());
            if (missing.isEmpty() && versionOk) {
                return new Check(WEBHOOK_ENDPOINT, Status.PASS, "endpoint " + endpoint.getUrl() + " is enabled for"
                        + " every event the wallet reads, at API version " + (endpoint.getApiVersion() == null
                        ? "the account's default (set " + Stripe.API_VERSION + " to be sure)" : endpoint.getApiVersion()));
            }
            if (bestMissing == null || missing.size() < bestMissing.size()) {
                best = endpoint;
                bestMissing = missing;
            }
        }
        List<String> problems = new ArrayList<>();
        if (!bestMissing.isEmpty()) {
            problems.add("it is not subscribed to " + String.join(", ", bestMissing));
        }
        if (best.getApiVersion() != null && !Stripe.API_VERSION.equals(best.getApiVersion())) {
            problems.add("it renders events at API version " + best.getApiVersion() + " but the wallet reads "
                    + Stripe.API_VERSION);
        }
        return new Check(WEBHOOK_ENDPOINT, Status.FAIL, "no enabled endpoint is set up for the wallet; the closest, "
                + best.getUrl() + ": " + String.join("; ", problems));
    }

    private static Set<String> missingEvents(WebhookEndpoint endpoint) {
        List<String> subscribed = endpoint.getEnabledEvents() == null ? List.of() : endpoint.getEnabledEvents();
        Set<String> missing = new LinkedHashSet<>();
        if (!subscribed.contains("*")) {
            for (String event : EVENTS) {
                if (!subscribed.contains(event)) {
                    missing.add(event);
                }
            }
        }
        return missing;
    }

    private static String status(StripeException e) {
        return e.getStatusCode() == null ? e.getClass().getSimpleName() : "HTTP " + e.getStatusCode();
    }

    private static String describe(Exception e) {
        return e instanceof StripeException stripe ? stripe.getClass().getSimpleName() + ", " + status(stripe)
                : e.getClass().getSimpleName();
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String withoutTrailingSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
