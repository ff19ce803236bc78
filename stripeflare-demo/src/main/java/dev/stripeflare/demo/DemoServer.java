package dev.stripeflare.demo;

import dev.stripeflare.Allowance;
import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.servlet.FilterSettings;
import dev.stripeflare.servlet.StripeflareFilter;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.h2.H2UserStore;
import dev.stripeflare.store.postgres.PostgresUserStore;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import dev.stripeflare.test.StripeTestKit;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;

/**
 * The stripeflare demo: an embedded Jetty 12 serving a page where a person tops up a wallet and
 * spends it one cent at a time.
 *
 * <p>Run it from the repository root with {@code mvn -q -pl stripeflare-demo -am compile exec:java}
 * (arguments: {@code -Dexec.args="--port=9090 --data=/tmp/sf"}). The wallet lives in an H2 file
 * under {@code --data}, or, given {@code --jdbc-url=jdbc:postgresql://…} (or {@code DATABASE_URL}),
 * in that PostgreSQL database ({@link PostgresUserStore}, schema {@code --db-schema}, default
 * {@code stripeflare}), so several demo instances can share one wallet. With the four variables
 * {@code STRIPE_SECRET}, {@code STRIPE_WEBHOOK_SIGNING_SECRET}, {@code STRIPE_PAYMENT_LINK} and
 * {@code DB_SECRET} it talks to real Stripe; without any of them it runs in test mode, where a
 * simulated checkout on this server signs and delivers real webhook events, fully offline.
 */
public final class DemoServer implements AutoCloseable {
    /** Test mode's secrets: public by design, good for nothing but this offline demo. */
    static final String TEST_DB_SECRET = "stripeflare-demo-TEST-MODE-db-secret-not-a-secret";
    static final String TEST_WEBHOOK_SECRET = "whsec_stripeflare_demo_TEST_MODE";
    static final String TEST_STRIPE_KEY = "sk_test_stripeflare_demo_offline";
    /** Test mode's free tier: {@value #TEST_ALLOWANCE_CENTS} cents a day, visitors included. */
    static final long TEST_ALLOWANCE_CENTS = 3;
    static final Allowance TEST_ALLOWANCE = new Allowance(TEST_ALLOWANCE_CENTS, Allowance.Period.DAY);
    static final String TEST_PAYMENT_LINK_ID = "plink_simulated";
    /** The host test mode's payment link and pages use (cookies are per host name). */
    static final String TEST_HOST = "localhost";
    /** The filter's endpoints at the root; the checkout return lands on the demo page. */
    private static final FilterSettings FILTER_SETTINGS = FilterSettings.production();

    private final Server server;
    private final Wallet wallet;
    private final Optional<StripeTestKit> simulatedStripe;
    private final URI baseUri;
    private final DemoConfig config;

    private DemoServer(Server server, Wallet wallet, Optional<StripeTestKit> simulatedStripe, URI baseUri,
                       DemoConfig config) {
        this.server = server;
        this.wallet = wallet;
        this.simulatedStripe = simulatedStripe;
        this.baseUri = baseUri;
        this.config = config;
    }

    /**
     * Starts the demo; the caller owns the result and closes it.
     *
     * @throws Exception if the port cannot be bound or the wallet is misconfigured (the
     *                   {@link dev.stripeflare.ConfigurationException} names each setting)
     */
    static DemoServer start(DemoConfig config) throws Exception {
        Objects.requireNonNull(config, "config");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        // A silent connection is closed after 30 s (the MinimumDataRateHandler below fails slow bodies).
        connector.setIdleTimeout(30_000);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.open();
        int port = connector.getLocalPort();
        server.addConnector(connector);
        URI base = URI.create("http://" + (config.testMode() ? TEST_HOST : config.host()) + ":" + port);

        UserStore store;
        try {
            store = openStore(config);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }

        ServletContextHandler context = new ServletContextHandler();
        Wallet wallet;
        Optional<StripeTestKit> simulatedStripe = Optional.empty();
        if (config.testMode()) {
            URI loopback = URI.create("http://127.0.0.1:" + port);
            // Stripe is played by the test kit users get (stripeflare-test): it signs the
            // simulated checkout's events and answers the wallet's API calls on its own port.
            StripeTestKit stripe = StripeTestKit.builder()
                    .signingSecret(TEST_WEBHOOK_SECRET)
                    .dbSecret(TEST_DB_SECRET)
                    .secretKey(TEST_STRIPE_KEY)
                    .paymentLink(base + SimulatedCheckout.PATH, TEST_PAYMENT_LINK_ID)
                    .start();
            simulatedStripe = Optional.of(stripe);
            try {
                wallet = stripe.walletBuilder(store)
                        .loginByPayment(true)   // test mode shows the second-device login
                        // Free credit before paying (ADR 33): a visitor's first paid action opens
                        // its account with today's allowance; every account gets it again each day.
                        .allowance(TEST_ALLOWANCE)
                        .allowanceForVisitors(true)
                        .build();
            } catch (RuntimeException e) {
                stripe.close();
                throw e;
            }
            context.addServlet(new ServletHolder(new SimulatedCheckout(stripe, loopback.resolve("/stripe-webhook"),
                    base + "/", base + FILTER_SETTINGS.checkoutReturnPath())), SimulatedCheckout.PATH);
        } else {
            DemoConfig.StripeKeys keys = config.stripeKeys().orElseThrow();
            wallet = Stripeflare.builder()
                    .userStore(store)
                    // Off unless asked for: see the README's "Security model" on login by payment.
                    .loginByPayment("true".equalsIgnoreCase(System.getenv("LOGIN_BY_PAYMENT")))
                    .dbSecret(keys.dbSecret())
                    .webhookSigningSecret(keys.webhookSigningSecret())
                    .stripeSecretKey(keys.secretKey())
                    .paymentLink(keys.paymentLink())
                    .paymentLinkId(blankToNull(System.getenv("STRIPE_PAYMENT_LINK_ID")))
                    .build();
        }
        FilterSettings settings = FILTER_SETTINGS.withDevelopmentCookies(config.devCookies());
        FilterHolder filter = new FilterHolder(new StripeflareFilter(wallet, settings));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        context.addServlet(new ServletHolder(new PaidAction()), PaidAction.PATH);
        context.addServlet(new ServletHolder(new HomePage(wallet, config.testMode(), TEST_HOST)), "/");
        // Request bodies (the webhook's, above all) slower than 1 KiB/s fail, so no sender can hold
        // a thread by trickling (ADR 20); responses are not rate-limited (0).
        server.setHandler(new MinimumDataRateHandler(context, 1024, 0));
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            wallet.close();
            simulatedStripe.ifPresent(StripeTestKit::close);
            throw e;
        }
        if (!config.testMode()) {
            // Against the real Stripe account only: test mode's stand-in has nothing to check.
            logSelfCheck(wallet);
        }
        return new DemoServer(server, wallet, simulatedStripe, base, config);
    }

    /** The PostgreSQL store when the config names a database, else the H2 file store in the data directory. */
    private static UserStore openStore(DemoConfig config) {
        if (config.database().isPresent()) {
            DemoConfig.Database database = config.database().get();
            return PostgresUserStore.builder().jdbcUrl(database.jdbcUrl()).schema(database.schema()).build();
        }
        return H2UserStore.file(config.dataDir().resolve("wallet"));
    }

    /** Where the demo page is. */
    URI baseUri() {
        return baseUri;
    }

    /** Blocks until the server stops. */
    void join() throws InterruptedException {
        server.join();
    }

    /** Stops the server and closes the wallet (and with it the store). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        } finally {
            wallet.close();
            simulatedStripe.ifPresent(StripeTestKit::close);
        }
    }

    /**
     * Runs the demo until the process is stopped (Ctrl-C).
     *
     * @param args {@code --port=N}, {@code --host=H}, {@code --data=DIR}, {@code --jdbc-url=URL},
     *             {@code --db-schema=S}; each also read from {@code PORT}, {@code HOST},
     *             {@code DATA_DIR}, {@code DATABASE_URL}, {@code DATABASE_SCHEMA}
     */
    public static void main(String[] args) throws Exception {
        DemoConfig config;
        try {
            config = DemoConfig.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("stripeflare-demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        DemoServer demo = start(config);
        // Jetty's own hook stops the server on Ctrl-C/SIGTERM; this one then closes the wallet,
        // which closes the store's database after the last request (the store no longer lets H2
        // close it from H2's hook; ADR 28).
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "stripeflare-demo-shutdown"));
        System.out.println(demo.banner());
        demo.join();
    }

    private String banner() {
        String mode = config.testMode()
                ? "TEST MODE (no Stripe keys set): top-ups go to a simulated checkout on this server; no real money."
                : "LIVE STRIPE: top-ups go to your Payment Link; point your Stripe webhook at " + baseUri + "/stripe-webhook"
                        + "\n  and the Payment Link's after-completion redirect at " + baseUri
                        + FILTER_SETTINGS.checkoutReturnPath() + "?session_id={CHECKOUT_SESSION_ID}";
        return "\nstripeflare demo running at " + baseUri + "/\n  " + mode
                + "\n  store: " + config.database()
                        .map(db -> "PostgreSQL " + db.redactedUrl() + ", schema " + db.schema())
                        .orElseGet(() -> "H2 file " + config.dataDir().resolve("wallet.mv.db").toAbsolutePath())
                + "\n  Ctrl-C to stop.\n";
    }

    /**
     * Runs the wallet's start-up self-check (API key, Payment Link currency, webhook endpoint)
     * and logs its report: INFO when it passed, WARNING naming each failure otherwise. The demo
     * keeps running either way; the report says what to fix.
     */
    static void logSelfCheck(Wallet wallet) {
        SelfCheckReport report = wallet.selfCheck();
        System.getLogger(DemoServer.class.getName()).log(report.passed() ? System.Logger.Level.INFO
                : System.Logger.Level.WARNING, report.toString());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
