package dev.stripeflare.core;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What webhook handling needs from the builder. Validated by {@link Stripeflare.Builder}.
 *
 * @param signingSecrets  the {@code whsec_} secrets accepted; any one may have signed an event
 * @param tolerance       how far an event's signed timestamp may be from the clock
 * @param stripeSecretKey the API key used to read PaymentIntents and Charges
 * @param stripeApiBase   where Stripe's API is, when not Stripe's own servers
 * @param stripeApiTimeout the connect and read timeout of each call to Stripe's API
 * @param currency        the wallet's one currency, lower-case ISO 4217
 * @param checkoutClaimWindow how long after its credit a checkout can be claimed by the browser
 *                        that completed it
 * @param clock           the wallet's clock
 */
record WebhookSettings(
        List<String> signingSecrets,
        Duration tolerance,
        String stripeSecretKey,
        Optional<URI> stripeApiBase,
        Duration stripeApiTimeout,
        String currency,
        Duration checkoutClaimWindow,
        Clock clock) {

    WebhookSettings {
        signingSecrets = List.copyOf(signingSecrets);
    }

    @Override
    public String toString() {
        return "WebhookSettings[signingSecrets=<redacted>, tolerance=" + tolerance
                + ", stripeSecretKey=<redacted>, stripeApiBase=" + stripeApiBase + ", stripeApiTimeout=" + stripeApiTimeout
                + ", currency=" + currency + ", checkoutClaimWindow=" + checkoutClaimWindow + "]";
    }
}
