package dev.stripeflare.core;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param connectedAccounts the Stripe Connect accounts ({@code acct_…}) whose events are applied;
 *                        events of any other connected account are ignored
 * @param checkouts       which checkouts are the wallet's and whether payments identify their payer
 */
record WebhookSettings(
        List<String> signingSecrets,
        Duration tolerance,
        String stripeSecretKey,
        Optional<URI> stripeApiBase,
        Duration stripeApiTimeout,
        String currency,
        Duration checkoutClaimWindow,
        Clock clock,
        Set<String> connectedAccounts,
        CheckoutPolicy checkouts) {

    WebhookSettings {
        signingSecrets = List.copyOf(signingSecrets);
        connectedAccounts = Set.copyOf(connectedAccounts);
        Objects.requireNonNull(checkouts, "checkouts");
    }

    /**
     * Which checkouts credit the wallet, and what a payment may tell about its payer.
     *
     * @param paymentLinkId  when present, only checkouts of this Payment Link ({@code plink_…})
     *                       are the wallet's; others are ignored even when they carry its reference
     * @param loginByPayment whether a payment's card and verified email identify the payer's
     *                       existing account (login by payment); off, every token's payments
     *                       stay in that token's own account
     */
    record CheckoutPolicy(Optional<String> paymentLinkId, boolean loginByPayment) {
        CheckoutPolicy {
            Objects.requireNonNull(paymentLinkId, "paymentLinkId");
        }

        /** Any Payment Link's checkout, and no login by payment: the safe defaults. */
        static CheckoutPolicy defaults() {
            return new CheckoutPolicy(Optional.empty(), false);
        }
    }

    /** Settings that accept events of the platform account only. */
    WebhookSettings(List<String> signingSecrets, Duration tolerance, String stripeSecretKey,
                    Optional<URI> stripeApiBase, Duration stripeApiTimeout, String currency,
                    Duration checkoutClaimWindow, Clock clock) {
        this(signingSecrets, tolerance, stripeSecretKey, stripeApiBase, stripeApiTimeout, currency,
                checkoutClaimWindow, clock, Set.of(), CheckoutPolicy.defaults());
    }

    /** These settings, also accepting the events of {@code accounts}. */
    WebhookSettings acceptingConnectedAccounts(Set<String> accounts) {
        return new WebhookSettings(signingSecrets, tolerance, stripeSecretKey, stripeApiBase, stripeApiTimeout,
                currency, checkoutClaimWindow, clock, accounts, checkouts);
    }

    /** These settings under {@code policy}. */
    WebhookSettings withCheckoutPolicy(CheckoutPolicy policy) {
        return new WebhookSettings(signingSecrets, tolerance, stripeSecretKey, stripeApiBase, stripeApiTimeout,
                currency, checkoutClaimWindow, clock, connectedAccounts, policy);
    }

    @Override
    public String toString() {
        return "WebhookSettings[signingSecrets=<redacted>, tolerance=" + tolerance
                + ", stripeSecretKey=<redacted>, stripeApiBase=" + stripeApiBase + ", stripeApiTimeout=" + stripeApiTimeout
                + ", currency=" + currency + ", checkoutClaimWindow=" + checkoutClaimWindow
                + ", connectedAccounts=" + connectedAccounts + ", checkouts=" + checkouts + "]";
    }
}
