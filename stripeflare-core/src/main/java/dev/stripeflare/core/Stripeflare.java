package dev.stripeflare.core;

import dev.stripeflare.Allowance;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Wallet;
import dev.stripeflare.event.WalletListener;
import dev.stripeflare.spi.UserStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The entry point: builds a {@link Wallet}.
 *
 * <pre>{@code
 * Wallet wallet = Stripeflare.builder()
 *         .userStore(H2UserStore.file(Path.of("data")))
 *         .dbSecret(System.getenv("DB_SECRET"))
 *         .webhookSigningSecret(System.getenv("STRIPE_WEBHOOK_SIGNING_SECRET"))
 *         .stripeSecretKey(System.getenv("STRIPE_SECRET"))
 *         .paymentLink(System.getenv("STRIPE_PAYMENT_LINK"))
 *         .build();
 * }</pre>
 */
public final class Stripeflare {
    private Stripeflare() {
    }

    /**
     * A new builder with the defaults: currency {@code usd}, system UTC clock, 300 s tolerance.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects a wallet's settings. Not thread-safe; {@link #build()} validates everything at
     * once and names every missing or malformed setting in one {@link ConfigurationException}.
     * The built wallet does not see later changes to the builder.
     */
    public static final class Builder {
        /** The shortest {@code DB_SECRET} accepted. */
        public static final int MIN_DB_SECRET_LENGTH = 32;
        /** The default {@link #checkoutClaimWindow}: one hour after the payment is credited. */
        public static final Duration DEFAULT_CHECKOUT_CLAIM_WINDOW = Duration.ofHours(1);
        /** The default {@link #checkoutPendingWindow}: seven days. */
        public static final Duration DEFAULT_CHECKOUT_PENDING_WINDOW = Duration.ofDays(7);
        private static final Duration MAX_CHECKOUT_WINDOW = Duration.ofDays(90);
        private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
        private static final Pattern CONNECTED_ACCOUNT = Pattern.compile("acct_[A-Za-z0-9]{1,64}");
        private static final Pattern PAYMENT_LINK_ID = Pattern.compile("plink_[A-Za-z0-9]{1,250}");

        private UserStore userStore;
        private List<String> dbSecrets = List.of();
        private List<String> signingSecrets = List.of();
        private String stripeSecretKey;
        private String paymentLink;
        private String currency = "usd";
        private URI stripeApiBase;
        private Clock clock = Clock.systemUTC();
        private SecureRandom secureRandom;
        private Duration webhookTolerance = Duration.ofSeconds(300);
        private Duration stripeApiTimeout = Duration.ofSeconds(5);
        private Duration checkoutClaimWindow = DEFAULT_CHECKOUT_CLAIM_WINDOW;
        private Duration checkoutPendingWindow = DEFAULT_CHECKOUT_PENDING_WINDOW;
        private final Set<String> connectedAccounts = new LinkedHashSet<>();
        private boolean loginByPayment;
        private String paymentLinkId;
        private final List<WalletListener> listeners = new ArrayList<>();
        private Executor listenerExecutor;
        private long[] lowBalanceThresholds = new long[0];
        private Retention retention = Retention.defaults();
        private Allowance allowance;
        private boolean allowanceForVisitors;

        private Builder() {
        }

        /**
         * Required. The store the wallet owns from now on: closing the wallet closes it.
         *
         * @param store the store; {@link #build()} names it if missing
         * @return this builder
         */
        public Builder userStore(UserStore store) {
            this.userStore = store;
            return this;
        }

        /**
         * Required. The secret ({@code DB_SECRET}, at least {@value #MIN_DB_SECRET_LENGTH}
         * characters of random text) from which the {@code client_reference_id} keys are derived.
         * {@code previous} secrets are still accepted when decrypting, so a secret can be rotated.
         *
         * @param current  the secret new tokens and links are made under
         * @param previous older secrets still accepted, for rotation
         * @return this builder
         */
        public Builder dbSecret(String current, String... previous) {
            this.dbSecrets = listOf(current, previous);
            return this;
        }

        /**
         * Required. The webhook signing secret(s) ({@code whsec_…}); an event signed by any is accepted.
         *
         * @param current the endpoint's {@code whsec_} secret
         * @param more    further secrets accepted while Stripe rolls the secret
         * @return this builder
         */
        public Builder webhookSigningSecret(String current, String... more) {
            this.signingSecrets = listOf(current, more);
            return this;
        }

        /**
         * Required. The Stripe API key ({@code sk_…} or restricted {@code rk_…}).
         *
         * @param key the API key
         * @return this builder
         */
        public Builder stripeSecretKey(String key) {
            this.stripeSecretKey = key;
            return this;
        }

        /**
         * Required. The Payment Link ({@code https://…}; {@code http://} only on a loopback host).
         *
         * @param link the Payment Link's URL
         * @return this builder
         */
        public Builder paymentLink(String link) {
            this.paymentLink = link;
            return this;
        }

        /**
         * The wallet's one currency, ISO 4217 (case-insensitive); default {@code usd}.
         *
         * @param isoCode a three-letter ISO 4217 code
         * @return this builder
         */
        public Builder currency(String isoCode) {
            this.currency = isoCode;
            return this;
        }

        /**
         * Where Stripe's API is; default Stripe's own servers. For tests and local mocks.
         *
         * @param base an {@code http} or {@code https} URI
         * @return this builder
         */
        public Builder stripeApiBase(URI base) {
            this.stripeApiBase = base;
            return this;
        }

        /**
         * The clock for ledger times and webhook signature tolerance; default system UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The source of token randomness; default a new {@link SecureRandom}.
         *
         * @param random the source of randomness
         * @return this builder
         */
        public Builder secureRandom(SecureRandom random) {
            this.secureRandom = random;
            return this;
        }

        /**
         * How old (or how far in the future) a signed webhook may be; default 300 s.
         *
         * @param tolerance a positive duration
         * @return this builder
         */
        public Builder webhookTolerance(Duration tolerance) {
            this.webhookTolerance = tolerance;
            return this;
        }

        /**
         * The connect and read timeout of each call to Stripe's API (made only while a webhook
         * logs a new device in by payment, or reads a charge's refunds); default 5 s. Keep it well
         * below Stripe's webhook timeout: a call that times out answers the webhook with 503, and
         * Stripe delivers the event again later.
         *
         * @param timeout between 1 ms and 24 days
         * @return this builder
         */
        public Builder stripeApiTimeout(Duration timeout) {
            this.stripeApiTimeout = timeout;
            return this;
        }

        /**
         * How long after a payment is credited the browser that completed its checkout may still
         * return ({@link Wallet#completeCheckout}) and log in to the account the payment went to;
         * default 1 hour. Stripe redirects the browser within
         * seconds of the payment, so the window only needs to cover a slow return; keeping it
         * short limits how long a leaked return URL is worth anything.
         *
         * @param window positive, at most 90 days
         * @return this builder
         */
        public Builder checkoutClaimWindow(Duration window) {
            this.checkoutClaimWindow = window;
            return this;
        }

        /**
         * How long a browser that returns <em>before</em> its payment is credited waits for it:
         * the credit attaches its token only within this time; default
         * 7 days. It covers a webhook endpoint that was down
         * (Stripe retries for three days) and bank debits that settle days later; card payments
         * are credited within seconds.
         *
         * @param window positive, at most 90 days
         * @return this builder
         */
        public Builder checkoutPendingWindow(Duration window) {
            this.checkoutPendingWindow = window;
            return this;
        }

        /**
         * Also applies the events of this Stripe Connect account ({@code acct_…}); call once per
         * account. By default an event whose {@code account} is set (it happened in a connected
         * account, not in the platform's) is ignored with 200, so another business's payments
         * never credit this wallet. Stripe API calls for an accepted account's events are made
         * in that account.
         *
         * @param accountId an {@code acct_…} id
         * @return this builder
         */
        public Builder acceptConnectedAccount(String accountId) {
            this.connectedAccounts.add(accountId);
            return this;
        }

        /**
         * Turns login by payment on: a payment whose card or Link-verified email belongs to an
         * existing account is credited to that account, and the browser that returns from the
         * checkout ({@link Wallet#completeCheckout}) with the token the link was opened under
         * joins it. Off by default, because the checkout page's URL (which carries the checkout
         * session id) is known to whoever opened the Payment Link: someone who opens a link under
         * their own token and gets a person who already has an account to pay that checkout page
         * joins that person's account. Turn it on only where users are told never to pay a
         * checkout page someone else sent them (README, "Security model"). Off, every token's
         * payments stay in its own account.
         *
         * @param enabled true to turn login by payment on
         * @return this builder
         */
        public Builder loginByPayment(boolean enabled) {
            this.loginByPayment = enabled;
            return this;
        }

        /**
         * The id ({@code plink_…}) of the Payment Link given to {@link #paymentLink}: only its
         * checkouts credit the wallet. Every Payment Link of a Stripe account accepts a
         * {@code client_reference_id}, so without this a checkout of another link of the same
         * account (a product, a donation) carrying a wallet reference would also top up the
         * wallet. Strongly advised whenever the Stripe account has other Payment Links.
         *
         * @param paymentLinkId the {@code plink_…} id
         * @return this builder
         */
        public Builder paymentLinkId(String paymentLinkId) {
            this.paymentLinkId = paymentLinkId;
            return this;
        }

        /**
         * Adds a listener that hears what the wallet did (credits, reversals, unclaimed payments
         * and their resolution), each event after its change committed; call once per listener.
         * Delivered on the thread that made the change unless {@link #listenerExecutor} is set. A
         * listener that throws is logged and changes nothing. Without listeners no event is built.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(WalletListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Delivers listener events on {@code executor} instead of on the thread that made the
         * change (a webhook's, an operator's), so a slow listener never delays Stripe's answer.
         * The wallet never shuts it down. Default: none (synchronous delivery).
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * How long idempotency keys, operation ids and payments are kept, and how they are pruned
         * (default {@link Retention#defaults()}: keys 24 h, operation ids 35 days, payments 540
         * days). Webhook events older than the operation retention less its margin are refused.
         *
         * @param retention the retention
         * @return this builder
         */
        public Builder retention(Retention retention) {
            this.retention = retention;
            return this;
        }

        /**
         * Validates every setting and builds the wallet.
         *
         * @throws ConfigurationException naming each missing or malformed setting
         * @return the wallet; thread-safe, one per application, closed on shutdown
         */
        public Wallet build() {
            List<String> problems = new ArrayList<>();
            if (userStore == null) {
                problems.add("userStore is missing");
            }
            checkDbSecrets(problems);
            checkSigningSecrets(problems);
            checkStripeSecretKey(problems);
            checkPaymentLink(problems);
            if (currency == null || !CURRENCY.matcher(currency.toLowerCase(Locale.ROOT)).matches()) {
                problems.add("currency must be a three-letter ISO 4217 code, was " + currency);
            }
            if (clock == null) {
                problems.add("clock is missing");
            }
            if (webhookTolerance == null || webhookTolerance.isNegative() || webhookTolerance.isZero()) {
                problems.add("webhookTolerance must be positive, was " + webhookTolerance);
            }
            if (stripeApiTimeout == null || stripeApiTimeout.toMillis() < 1
                    || stripeApiTimeout.toMillis() > Integer.MAX_VALUE) {
                problems.add("stripeApiTimeout must be between 1 ms and 24 days, was " + stripeApiTimeout);
            }
            checkWindow("checkoutClaimWindow", checkoutClaimWindow, problems);
            checkWindow("checkoutPendingWindow", checkoutPendingWindow, problems);
            if (stripeApiBase != null && !isHttp(stripeApiBase)) {
                problems.add("stripeApiBase must be an http(s) URI, was " + stripeApiBase);
            }
            for (String account : connectedAccounts) {
                if (account == null || !CONNECTED_ACCOUNT.matcher(account).matches()) {
                    problems.add("acceptConnectedAccount needs an acct_… id, was " + account);
                }
            }
            if (paymentLinkId != null && !PAYMENT_LINK_ID.matcher(paymentLinkId).matches()) {
                problems.add("paymentLinkId must be a plink_… id, was " + paymentLinkId);
            }
            if (retention == null) {
                problems.add("retention is missing");
            } else {
                problems.addAll(retention.problems());
            }
            if (allowanceForVisitors && allowance == null) {
                problems.add("allowanceForVisitors needs an allowance");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            AccessTokens tokens = new AccessTokens(secureRandom != null ? secureRandom : new SecureRandom(), dbSecrets);
            ReferenceCipher cipher = new ReferenceCipher(dbSecrets);
            WebhookSettings webhookSettings = new WebhookSettings(signingSecrets, webhookTolerance,
                    stripeSecretKey, Optional.ofNullable(stripeApiBase), stripeApiTimeout, currency.toLowerCase(Locale.ROOT),
                    checkoutClaimWindow, clock);
            webhookSettings = webhookSettings.acceptingConnectedAccounts(connectedAccounts)
                    .withCheckoutPolicy(new WebhookSettings.CheckoutPolicy(Optional.ofNullable(paymentLinkId),
                            loginByPayment));
            WalletEvents events = WalletEvents.of(listeners, Optional.ofNullable(listenerExecutor));
            StripeWebhooks webhooks = new StripeWebhooks(userStore, tokens, cipher, webhookSettings, events,
                    retention.maxEventAge());
            WebhookSettings checked = webhookSettings;
            String link = paymentLink;
            GrantDesk grantDesk = new GrantDesk(userStore, clock, events);
            Optional<Allowances> allowances = Optional.ofNullable(allowance)
                    .map(a -> new Allowances(a, allowanceForVisitors, userStore, events));
            return new DefaultWallet(userStore, tokens, cipher, webhooks, paymentLink, checkoutPendingWindow,
                    loginByPayment, clock, new UnclaimedPayments(userStore, webhookSettings.currency(), clock, events),
                    () -> new SelfCheck(checked, link).run(),
                    new UserOperations(userStore, clock, events, LowBalanceAlerts.of(lowBalanceThresholds, events),
                            grantDesk, allowances),
                    new Maintainer(userStore, retention, clock), grantDesk, allowances);
        }

        private static void checkWindow(String name, Duration window, List<String> problems) {
            if (window == null || window.isNegative() || window.isZero() || window.compareTo(MAX_CHECKOUT_WINDOW) > 0) {
                problems.add(name + " must be positive and at most " + MAX_CHECKOUT_WINDOW.toDays() + " days, was "
                        + window);
            }
        }

        private void checkDbSecrets(List<String> problems) {
            if (dbSecrets.isEmpty() || dbSecrets.get(0) == null) {
                problems.add("dbSecret (DB_SECRET) is missing");
                return;
            }
            for (int i = 0; i < dbSecrets.size(); i++) {
                String secret = dbSecrets.get(i);
                String name = i == 0 ? "dbSecret (DB_SECRET)" : "previous dbSecret #" + i;
                if (secret == null || secret.length() < MIN_DB_SECRET_LENGTH) {
                    problems.add(name + " must be at least " + MIN_DB_SECRET_LENGTH + " characters");
                }
            }
        }

        private void checkSigningSecrets(List<String> problems) {
            if (signingSecrets.isEmpty() || signingSecrets.get(0) == null) {
                problems.add("webhookSigningSecret (STRIPE_WEBHOOK_SIGNING_SECRET) is missing");
                return;
            }
            for (String secret : signingSecrets) {
                if (secret == null || !secret.startsWith("whsec_") || secret.length() <= "whsec_".length()) {
                    problems.add("webhookSigningSecret must start with whsec_");
                    return;
                }
            }
        }

        private void checkStripeSecretKey(List<String> problems) {
            if (stripeSecretKey == null) {
                problems.add("stripeSecretKey (STRIPE_SECRET) is missing");
            } else if (!(stripeSecretKey.startsWith("sk_") || stripeSecretKey.startsWith("rk_"))) {
                problems.add("stripeSecretKey (STRIPE_SECRET) must start with sk_ or rk_");
            }
        }

        private void checkPaymentLink(List<String> problems) {
            if (paymentLink == null) {
                problems.add("paymentLink (STRIPE_PAYMENT_LINK) is missing");
                return;
            }
            URI uri;
            try {
                uri = URI.create(paymentLink);
            } catch (IllegalArgumentException e) {
                problems.add("paymentLink (STRIPE_PAYMENT_LINK) is not a URI: " + paymentLink);
                return;
            }
            boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
            boolean localHttp = "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
            if (!https && !localHttp) {
                problems.add("paymentLink (STRIPE_PAYMENT_LINK) must be an https URL, was " + paymentLink);
            }
        }

        private static boolean isHttp(URI uri) {
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        }

        private static boolean isLoopback(String host) {
            return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        }

        private static List<String> listOf(String first, String... rest) {
            Objects.requireNonNull(rest, "rest");
            List<String> all = new ArrayList<>(1 + rest.length);
            all.add(first);
            all.addAll(Arrays.asList(rest));
            return all;
        }

        /**
         * A recurring free tier (ADR 33): each account gets {@code allowance.cents()} of free credit
         * at its first charge in each period, spent before paid credit and expiring at the period's
         * end; exactly once per account and period, whether the account is charged through a
         * token or by user id. Only accounts get one (a visitor has no account until a first
         * payment) unless {@link #allowanceForVisitors} is set. Default: none.
         *
         * @param allowance the allowance
         * @return this builder
         * @throws NullPointerException if {@code allowance} is null
         */
        public Builder allowance(Allowance allowance) {
            this.allowance = Objects.requireNonNull(allowance, "allowance");
            return this;
        }

        /**
         * Whether visitors who have not paid get the {@link #allowance} too ("10 free requests a
         * day before you pay"; ADR 33 addendum): a charge through an authentic token (minted by
         * this wallet) that opens no account then opens one — a zero balance, no profile, the
         * token as its only device — and gives it the period's allowance before it charges. One
         * account per token however many requests charge at once; a token rotated away or of a
         * deleted account never opens one again; a forged or legacy token never does. Anyone
         * who clears cookies is a new visitor with a new allowance: read README "Free credits"
         * before turning this on. Needs a store that supports {@code UserStore.openAccount}
         * (every built-in store). Default: false.
         *
         * @param allowanceForVisitors whether visitors get the allowance
         * @return this builder
         */
        public Builder allowanceForVisitors(boolean allowanceForVisitors) {
            this.allowanceForVisitors = allowanceForVisitors;
            return this;
        }

        @Override
        public String toString() {
            return "Stripeflare.Builder[secrets=<redacted>, paymentLink=" + paymentLink
                    + ", currency=" + currency + ", stripeApiBase=" + stripeApiBase
                    + ", checkoutClaimWindow=" + checkoutClaimWindow + ", checkoutPendingWindow=" + checkoutPendingWindow + "]";
        }

        /**
         * Balances, in cents, whose downward crossing the listeners hear ({@code onLowBalance}):
         * a charge or adjustment that takes a balance from above a threshold to it or below
         * raises one event, exactly once per crossing however many charges run at once, and again
         * only after the balance rose above it and a later change crosses it again. Replaces
         * earlier thresholds; repeats are ignored. Without a listener nothing is checked. A
         * charge that crosses nothing costs a few comparisons and allocates nothing; a charge
         * through a token that crosses one reads its account once more, to name it.
         *
         * @throws NullPointerException if {@code cents} is null
         * @param cents the thresholds, in cents
         * @return this builder
         */
        public Builder lowBalanceThresholds(long... cents) {
            this.lowBalanceThresholds = Objects.requireNonNull(cents, "cents").clone();
            return this;
        }
    }
}
