package dev.stripeflare.test;

import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stripe for tests, without Stripe: makes up payments, signs the webhook events Stripe would send
 * for them ({@code checkout.session.completed}, {@code checkout.session.async_payment_succeeded},
 * {@code charge.refunded}, {@code charge.dispute.created}) with a {@code whsec_} secret, plays the
 * part of Stripe's API a wallet reads ({@code GET /v1/payment_intents/{id}}, {@code /v1/charges/{id}},
 * {@code /v1/refunds}) on a random port of 127.0.0.1, and builds wallets wired to both.
 *
 * <pre>{@code
 * try (StripeTestKit stripe = StripeTestKit.start();
 *      Wallet wallet = stripe.wallet()) {
 *     Session visitor = wallet.session(null);
 *     stripe.topUp(wallet, visitor, 500);                 // a signed checkout.session.completed
 *     wallet.charge(visitor.accessToken(), 25);           // CHARGED, balance 475
 * }
 * }</pre>
 *
 * <p>Events are signed at the kit's clock, which the wallets it builds share. Every id it makes
 * (events, checkouts, payments, refunds, disputes) is random, so kits never collide on one store.
 * Thread-safe. {@link #close()} stops the local API; it does not close wallets.
 */
public final class StripeTestKit implements AutoCloseable {
    /** The default webhook signing secret of the kit's events. */
    public static final String SIGNING_SECRET = "whsec_stripeflare_test_kit_0123456789";
    /** The default {@code DB_SECRET} of the kit's wallets. */
    public static final String DB_SECRET = "stripeflare-test-kit-db-secret-0123456789";
    /** The default test-mode API key the local API accepts. */
    public static final String SECRET_KEY = "sk_test_stripeflare_test_kit";
    /** The default Payment Link of the kit's wallets. */
    public static final String PAYMENT_LINK = "https://buy.stripe.com/test_stripeflare_kit";
    /** The id of {@link #PAYMENT_LINK}: the kit's checkouts carry it. */
    public static final String PAYMENT_LINK_ID = "plink_stripeflareTestKit";

    private static final Set<WebhookOutcome> CREDITS = EnumSet.of(WebhookOutcome.CREDITED,
            WebhookOutcome.LOGIN_BY_PAYMENT, WebhookOutcome.PAYER_IDENTIFIED, WebhookOutcome.REVOKED_TOKEN);
    private static final char[] ID_CHARS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Settings settings;
    private final LocalStripeApi api;
    private final SecureRandom random = new SecureRandom();

    private StripeTestKit(Settings settings) {
        this.settings = settings;
        this.api = new LocalStripeApi(settings.secretKey);
    }

    /**
     * A kit with the defaults (system UTC clock, {@code usd}, the constants above), its local
     * Stripe API listening.
     *
     * @return the started kit; close it when done
     */
    public static StripeTestKit start() {
        return builder().start();
    }

    /**
     * Settings for a kit other than the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the local Stripe API listens; give it to {@link Stripeflare.Builder#stripeApiBase}.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI stripeApiBase() {
        return api.base();
    }

    /**
     * The clock events are signed at.
     *
     * @return the kit's clock
     */
    public Clock clock() {
        return settings.clock;
    }

    /**
     * The webhook signing secret the kit signs with.
     *
     * @return the {@code whsec_…} secret
     */
    public String signingSecret() {
        return settings.signingSecret;
    }

    /**
     * A wallet builder with every required setting — {@code store}, the kit's signing secret, API
     * key, Payment Link and its id, {@code DB_SECRET}, currency, clock, and
     * {@code stripeApiBase} at the local API — so a test changes only what it is about
     * ({@code loginByPayment(true)}, listeners, …) before {@code build()}.
     *
     * @param store the store the wallet will own
     * @return a builder ready to build
     */
    public Stripeflare.Builder walletBuilder(UserStore store) {
        return Stripeflare.builder()
                .userStore(Objects.requireNonNull(store, "store"))
                .dbSecret(settings.dbSecret)
                .webhookSigningSecret(settings.signingSecret)
                .stripeSecretKey(settings.secretKey)
                .paymentLink(settings.paymentLink)
                .paymentLinkId(settings.paymentLinkId)
                .currency(settings.currency)
                .clock(settings.clock)
                .stripeApiBase(api.base());
    }

    /**
     * A wallet over a new {@link InMemoryUserStore}, wired to the kit.
     *
     * @return a new wallet; close it when done
     */
    public Wallet wallet() {
        return walletBuilder(new InMemoryUserStore()).build();
    }

    /**
     * {@code payer} pays {@code amountCents} by card ({@link Payer#ADA}) through the Payment Link
     * of {@code session}; Stripe's API answers for the payment from now on. No event is sent yet.
     *
     * @param session     the visitor or user whose link is paid
     * @param amountCents what is paid, in minor units of the kit's currency
     * @return the payment
     */
    public TestPayment pay(Session session, long amountCents) {
        return pay(session.clientReferenceId(), amountCents, Payer.ADA);
    }

    /**
     * {@code payer} pays {@code amountCents} through a Payment Link that carried
     * {@code clientReferenceId}; Stripe's API answers for the payment from now on.
     *
     * @param clientReferenceId the link's {@code client_reference_id} ({@link Session#clientReferenceId()})
     * @param amountCents       what is paid, in minor units of the kit's currency
     * @param payer             who pays, and how
     * @return the payment
     * @throws IllegalArgumentException if the amount is not positive
     */
    public TestPayment pay(String clientReferenceId, long amountCents, Payer payer) {
        String id = randomId();
        TestPayment payment = new TestPayment("cs_test_kit" + id, "pi_3kit" + id, "ch_3kit" + id,
                Objects.requireNonNull(clientReferenceId, "clientReferenceId"), amountCents, settings.currency,
                Objects.requireNonNull(payer, "payer"));
        api.add(payment, settings.clock.instant());
        return payment;
    }

    /**
     * {@code checkout.session.completed} of a paid checkout: it credits the payment.
     *
     * @param payment a payment of this kit
     * @return the signed event
     */
    public SignedEvent checkoutCompleted(TestPayment payment) {
        return checkout(payment, "checkout.session.completed", "paid");
    }

    /**
     * {@code checkout.session.completed} of a checkout paid by a method that settles later (a bank
     * debit): {@code payment_status} is {@code unpaid} and nothing is credited until
     * {@link #asyncPaymentSucceeded}.
     *
     * @param payment a payment of this kit
     * @return the signed event
     */
    public SignedEvent checkoutCompletedUnpaid(TestPayment payment) {
        return checkout(payment, "checkout.session.completed", "unpaid");
    }

    /**
     * {@code checkout.session.async_payment_succeeded}: the delayed payment settled.
     *
     * @param payment a payment of this kit
     * @return the signed event
     */
    public SignedEvent asyncPaymentSucceeded(TestPayment payment) {
        return checkout(payment, "checkout.session.async_payment_succeeded", "paid");
    }

    /**
     * {@code charge.refunded} after a new refund of {@code amountCents}; the event's charge lists
     * every refund of the payment so far, as Stripe's does.
     *
     * @param payment     a payment of this kit
     * @param amountCents what this refund returns
     * @return the signed event
     * @throws IllegalArgumentException if the amount is not positive or exceeds what is left
     */
    public SignedEvent refund(TestPayment payment, long amountCents) {
        Instant now = settings.clock.instant();
        List<LocalStripeApi.Refund> refunds = api.refund(payment,
                new LocalStripeApi.Refund("re_3kit" + randomId(), amountCents, now));
        long before = refunds.stream().mapToLong(LocalStripeApi.Refund::amountCents).sum() - amountCents;
        String eventId = "evt_3kit" + randomId();
        String payload = Json.render("charge.refunded.json", Map.of(
                "EVENT_ID", Json.string(eventId),
                "CREATED", Long.toString(now.getEpochSecond()),
                "CHARGE", indent(api.chargeJson(payment).strip()),
                "PREVIOUS_AMOUNT_REFUNDED", Long.toString(before)));
        return sign(eventId, "charge.refunded", payload, now);
    }

    /**
     * {@code charge.dispute.created}: the buyer's bank takes {@code amountCents} back (a
     * chargeback, status {@code needs_response}).
     *
     * @param payment     a payment of this kit
     * @param amountCents what is disputed
     * @return the signed event
     * @throws IllegalArgumentException if the amount is not positive or exceeds the payment
     */
    public SignedEvent dispute(TestPayment payment, long amountCents) {
        if (amountCents <= 0 || amountCents > payment.amountCents()) {
            throw new IllegalArgumentException("a dispute is positive and at most the payment, was " + amountCents);
        }
        Instant now = settings.clock.instant();
        String eventId = "evt_1kit" + randomId();
        Map<String, String> values = LocalStripeApi.values(payment, now);
        values.put("EVENT_ID", Json.string(eventId));
        values.put("DISPUTE_ID", Json.string("dp_1kit" + randomId()));
        values.put("AMOUNT", Long.toString(amountCents));
        values.put("DUE_BY", Long.toString(now.plus(Duration.ofDays(10)).getEpochSecond()));
        return sign(eventId, "charge.dispute.created", Json.render("charge.dispute.created.json", values), now);
    }

    /**
     * Pays {@code amountCents} through {@code session}'s link and delivers the signed
     * {@code checkout.session.completed} to {@code wallet}: the account is credited (and created
     * for a visitor).
     *
     * @param wallet      a wallet built by this kit (or with its settings)
     * @param session     whose link is paid
     * @param amountCents what is paid
     * @return the payment, for refunds and disputes later
     * @throws IllegalStateException if the wallet did not answer 200 with a credit
     *                               ({@code CREDITED}, {@code LOGIN_BY_PAYMENT}, {@code PAYER_IDENTIFIED}
     *                               or {@code REVOKED_TOKEN})
     */
    public TestPayment topUp(Wallet wallet, Session session, long amountCents) {
        TestPayment payment = pay(session, amountCents);
        WebhookResult result = checkoutCompleted(payment).deliverTo(wallet);
        if (result.httpStatus() != 200 || !CREDITS.contains(result.outcome())) {
            throw new IllegalStateException("the wallet answered the top-up with " + result.httpStatus() + " "
                    + result.outcome() + ": " + result.message());
        }
        return payment;
    }

    /**
     * Signs {@code payload} with the kit's secret at the kit's clock, for an event the kit does
     * not make.
     *
     * @param payload the raw event JSON
     * @return the {@code Stripe-Signature} header value
     */
    public String signatureHeader(String payload) {
        return WebhookSignatures.header(Objects.requireNonNull(payload, "payload"), settings.signingSecret,
                settings.clock.instant().getEpochSecond());
    }

    /**
     * Every request the local Stripe API received, oldest first, as {@code "GET /v1/…?query"}.
     *
     * @return a snapshot of the requests
     */
    public List<String> apiRequests() {
        return api.requests();
    }

    /**
     * The next {@code count} API requests answer 500, as Stripe does when it fails: a webhook that
     * needed one answers 503 so Stripe would deliver it again.
     *
     * @param count how many requests fail
     */
    public void failNextApiRequests(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        api.failNext(count);
    }

    /** Stops the local Stripe API. Wallets built by the kit stay open. */
    @Override
    public void close() {
        api.close();
    }

    private SignedEvent checkout(TestPayment payment, String type, String paymentStatus) {
        Instant now = settings.clock.instant();
        String eventId = "evt_1kit" + randomId();
        Map<String, String> values = LocalStripeApi.values(payment, now);
        values.put("EVENT_ID", Json.string(eventId));
        values.put("TYPE", Json.string(type));
        values.put("SESSION_ID", Json.string(payment.checkoutSessionId()));
        values.put("CLIENT_REFERENCE_ID", Json.string(payment.clientReferenceId()));
        values.put("PAYMENT_STATUS", Json.string(paymentStatus));
        values.put("PAYMENT_LINK_ID", Json.string(settings.paymentLinkId));
        values.put("EXPIRES_AT", Long.toString(now.plus(Duration.ofDays(1)).getEpochSecond()));
        return sign(eventId, type, Json.render("checkout.session.json", values), now);
    }

    private SignedEvent sign(String eventId, String type, String payload, Instant at) {
        return new SignedEvent(eventId, type, payload,
                WebhookSignatures.header(payload, settings.signingSecret, at.getEpochSecond()));
    }

    private static String indent(String json) {
        return json.replace("\n", "\n    ");
    }

    private String randomId() {
        char[] id = new char[16];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private record Settings(Clock clock, String signingSecret, String dbSecret, String secretKey, String paymentLink,
                            String paymentLinkId, String currency) {
    }

    /**
     * Settings of a kit. Not thread-safe; {@link #start()} takes a copy. Values are checked by the
     * wallet builder the kit fills ({@link StripeTestKit#walletBuilder}), with its messages.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String signingSecret = SIGNING_SECRET;
        private String dbSecret = DB_SECRET;
        private String secretKey = SECRET_KEY;
        private String paymentLink = PAYMENT_LINK;
        private String paymentLinkId = PAYMENT_LINK_ID;
        private String currency = "usd";

        private Builder() {
        }

        /**
         * The clock events are signed at and the kit's wallets use; default system UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The {@code whsec_} secret events are signed with; default {@link #SIGNING_SECRET}.
         *
         * @param secret the secret
         * @return this builder
         */
        public Builder signingSecret(String secret) {
            this.signingSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * The {@code DB_SECRET} of the kit's wallets; default {@link #DB_SECRET}.
         *
         * @param secret at least 32 characters
         * @return this builder
         */
        public Builder dbSecret(String secret) {
            this.dbSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * The API key the local API accepts (any other is answered 401); default {@link #SECRET_KEY}.
         *
         * @param key an {@code sk_test_…} or {@code rk_test_…} key
         * @return this builder
         * @throws IllegalArgumentException for any other key (a live key is never taken, and
         *                                  never echoed): the kit is for tests only
         */
        public Builder secretKey(String key) {
            Objects.requireNonNull(key, "key");
            if (!(key.startsWith("sk_test_") || key.startsWith("rk_test_"))) {
                throw new IllegalArgumentException("the test kit takes only a test-mode key (sk_test_… or rk_test_…)");
            }
            this.secretKey = key;
            return this;
        }

        /**
         * The Payment Link of the kit's wallets and the id its checkouts carry; default
         * {@link #PAYMENT_LINK} and {@link #PAYMENT_LINK_ID}.
         *
         * @param link   the link's URL
         * @param linkId its {@code plink_…} id
         * @return this builder
         */
        public Builder paymentLink(String link, String linkId) {
            this.paymentLink = Objects.requireNonNull(link, "link");
            this.paymentLinkId = Objects.requireNonNull(linkId, "linkId");
            return this;
        }

        /**
         * The currency of payments and of the kit's wallets; default {@code usd}.
         *
         * @param isoCode an ISO 4217 code
         * @return this builder
         */
        public Builder currency(String isoCode) {
            this.currency = Objects.requireNonNull(isoCode, "isoCode").toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Starts a kit with these settings.
         *
         * @return the started kit; close it when done
         */
        public StripeTestKit start() {
            return new StripeTestKit(new Settings(clock, signingSecret, dbSecret, secretKey, paymentLink, paymentLinkId,
                    currency));
        }
    }
}
