package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.NOW_SECONDS;
import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.disputeClosed;
import static dev.stripeflare.core.WebhookHarness.disputeInquiry;
import static dev.stripeflare.core.WebhookHarness.disputed;
import static dev.stripeflare.core.WebhookHarness.refundUpdated;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 "Secrets": no access token, {@code DB_SECRET}, webhook signing secret, Stripe secret key
 * or {@code client_reference_id} ever appears in a {@code toString()}, a log line (everything
 * {@link System.Logger} hands to java.util.logging, at every level, with stack traces) or an
 * exception message (with its causes), across a realistic workload: payments, duplicates,
 * refunds, disputes and their reversals, charges that succeed, fail and throw, rotation, forged,
 * stale and malformed webhooks, Stripe's API failing, a closed store, and rejected configuration.
 */
class SecretsNeverLeakTest {
    /**
     * The JDK's own HTTP client (which stripe-java uses) logs every request header at FINE,
     * {@code Authorization: Bearer sk_…} included. That is the JDK's switch, not ours; README's
     * security model tells operators to keep this logger above FINE. Everything else is searched.
     */
    private static final String JDK_HTTP_WIRE_LOG = "sun.net.www.protocol.http.HttpURLConnection";

    private final Logger root = Logger.getLogger("");
    private int jdkWireLines;
    private final List<String> logged = new ArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (JDK_HTTP_WIRE_LOG.equals(record.getLoggerName())) {
                jdkWireLines++;
            } else {
                logged.add(formatter.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<Logger> opened = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private Level rootLevel;

    /** Everything that was shown: toStrings, answers, exception texts. Logs are added at the end. */
    private final List<String> shown = new ArrayList<>();
    /** Every secret the workload used. */
    private final List<String> secrets = new ArrayList<>(List.of(TestWallets.DB_SECRET, TestWallets.SIGNING_SECRET,
            "sk_test_0123456789"));

    @BeforeEach
    void captureEveryLogLevel() {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        capture.setLevel(Level.ALL);
        for (String name : new String[] {"dev.stripeflare", StripeWebhooks.class.getName(), "com.stripe"}) {
            Logger logger = Logger.getLogger(name);
            opened.add(logger);
            levels.add(logger.getLevel());
            logger.setLevel(Level.ALL);
        }
    }

    @AfterEach
    void restoreLogging() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
        for (int i = 0; i < opened.size(); i++) {
            opened.get(i).setLevel(levels.get(i));
        }
    }

    private void show(Object value) {
        shown.add(String.valueOf(value));
    }

    private void expectThrows(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException thrown) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            shown.add(thrown.toString());
            shown.add(trace.toString());
            return;
        }
        throw new AssertionError("expected the call to throw");
    }

    private void remember(Session session) {
        secrets.add(session.accessToken());
        secrets.add(session.clientReferenceId());
        show(session);
        session.user().ifPresent(this::show);
    }

    private WebhookResult deliver(WebhookHarness harness, String payload, String header) {
        WebhookResult result = harness.wallet.handleWebhookPayload(payload, header);
        show(result);
        return result;
    }

    @Test
    void noSecretAppearsInToStringsLogsOrExceptionMessages() {
        try (WebhookHarness harness = new WebhookHarness()) {
            workload(harness);
        }
        rejectedConfigurations();

        List<String> everything = new ArrayList<>(shown);
        synchronized (capture) {
            everything.addAll(logged);
        }
        assertThat(logged).as("the workload logs (refusals, redeliveries, API version warnings)").isNotEmpty();
        assertThat(secrets).hasSizeGreaterThan(10);
        for (String text : everything) {
            for (String secret : secrets) {
                assertThat(text).as("a secret leaked").doesNotContain(secret);
            }
        }
    }

    private void workload(WebhookHarness harness) {
        Wallet wallet = harness.wallet;
        show(wallet);
        Session ada = wallet.session(null);
        Session bea = wallet.session(null);
        remember(ada);
        remember(bea);

        // Payments, duplicates, and a payer logging in on a second device.
        show(deliver(harness, checkoutCompleted(ada, 1).json(), sign(checkoutCompleted(ada, 1).json())));
        deliver(harness, checkoutCompleted(ada, 1).json(), sign(checkoutCompleted(ada, 1).json()));
        harness.stripe.cardPayment(WebhookHarness.paymentIntent(2), StripeJson.CARD_FINGERPRINT);
        deliver(harness, checkoutCompleted(bea, 2).json(), sign(checkoutCompleted(bea, 2).json()));
        remember(wallet.session(ada.accessToken()));
        remember(wallet.session(bea.accessToken()));
        show(wallet.lookupUser(ada.accessToken()));
        show(wallet.ledger(ada.accessToken()));

        // Reversals and their restorations.
        for (String payload : List.of(refunded(1).json(), disputed(1).json(), disputeClosed(1, "won").json(),
                refundUpdated(1, "failed").json(), disputeInquiry(2).json(), disputeClosed(2, "lost").json())) {
            deliver(harness, payload, sign(payload));
        }

        // Forged, stale, tampered, malformed.
        String good = checkoutCompleted(ada, 3).json();
        deliver(harness, good, StripeSignatures.header(good, "whsec_forged_000000000000000000", NOW_SECONDS));
        deliver(harness, good, StripeSignatures.header(good, TestWallets.SIGNING_SECRET, NOW_SECONDS - 3_600));
        deliver(harness, good.replace("\"amount_total\": 500", "\"amount_total\": 9"), sign(good));
        deliver(harness, good, null);
        deliver(harness, good, "garbage " + ada.clientReferenceId());
        String truncated = good.substring(0, good.indexOf(ada.clientReferenceId()) + 10);
        deliver(harness, truncated, sign(truncated));
        String wrongType = good.replace("\"" + ada.clientReferenceId() + "\"",
                "{\"nested\": \"" + ada.clientReferenceId() + "\"}");
        deliver(harness, wrongType, sign(wrongType));
        String bareReference = ada.clientReferenceId();
        deliver(harness, bareReference, sign(bareReference));
        String noAmount = good.replace("\"amount_total\": 500,", "");
        assertThat(deliver(harness, noAmount, sign(noAmount)).outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        String otherVersion = checkoutCompleted(ada, 4).json().replace("2026-07-29.dahlia", "2020-08-27");
        deliver(harness, otherVersion, sign(otherVersion));

        // Stripe's API failing while a new device pays.
        for (FakeStripeApi.Failure failure : FakeStripeApi.Failure.values()) {
            Session newcomer = wallet.session(null);
            remember(newcomer);
            harness.stripe.failNext(failure);
            String payload = checkoutCompleted(newcomer, 10 + failure.ordinal()).json();
            deliver(harness, payload, sign(payload));
        }

        // Charges: paid, declined, replayed, key reused, unknown and malformed tokens, bad requests.
        Session carl = wallet.session(null);
        remember(carl);
        show(wallet.charge(ada.accessToken(), 100));
        show(wallet.charge(ada.accessToken(), 1_000_000));
        show(wallet.charge(ChargeRequest.of(ada.accessToken(), 50).withIdempotencyKey("key-1")));
        show(wallet.charge(ChargeRequest.of(ada.accessToken(), 50).withIdempotencyKey("key-1")));
        expectThrows(() -> wallet.charge(ChargeRequest.of(ada.accessToken(), 60).withIdempotencyKey("key-1")));
        show(wallet.charge(carl.accessToken(), 10));
        show(wallet.charge(ada.accessToken() + "x", 10));
        expectThrows(() -> wallet.charge(ada.accessToken(), -5));
        expectThrows(() -> ChargeRequest.of(ada.accessToken(), 0));
        show(ChargeRequest.of(ada.accessToken(), 10).withIdempotencyKey("key-2"));

        // Rotation: the old token and its link open nothing; unknown tokens throw.
        String rotated = wallet.rotateToken(ada.accessToken());
        secrets.add(rotated);
        remember(wallet.session(rotated));
        show(wallet.charge(ada.accessToken(), 10));
        expectThrows(() -> wallet.rotateToken(ada.accessToken()));
        expectThrows(() -> wallet.rotateToken(carl.accessToken()));
        expectThrows(() -> wallet.rotateToken(carl.accessToken() + "!"));
        String oldLink = checkoutCompleted(ada, 20).json();
        deliver(harness, oldLink, sign(oldLink));

        // The store fails.
        harness.store.close();
        String afterClose = checkoutCompleted(bea, 30).json();
        assertThat(deliver(harness, afterClose, sign(afterClose)).httpStatus()).isEqualTo(503);
        expectThrows(() -> wallet.charge(bea.accessToken(), 10));
        expectThrows(() -> wallet.rotateToken(bea.accessToken()));

        show(new WebhookSettings(List.of(TestWallets.SIGNING_SECRET), Duration.ofSeconds(300), "sk_test_0123456789",
                Optional.of(URI.create("http://127.0.0.1:1")), Duration.ofSeconds(1), "usd", Duration.ofHours(1), Clock.systemUTC()));
    }

    private void rejectedConfigurations() {
        String shortDbSecret = "short-db-secret-1234";
        String badSigning = "wrongprefix_signing_secret_1234";
        String publishableKey = "pk_live_publishable_key_1234";
        secrets.addAll(List.of(shortDbSecret, badSigning, publishableKey));
        Stripeflare.Builder builder = Stripeflare.builder().userStore(new InMemoryUserStore())
                .dbSecret(shortDbSecret, TestWallets.DB_SECRET)
                .webhookSigningSecret(badSigning)
                .stripeSecretKey(publishableKey)
                .paymentLink(TestWallets.PAYMENT_LINK);
        show(builder);
        expectThrows(builder::build);
        Supplier<Stripeflare.Builder> valid = () -> TestWallets.builder(new InMemoryUserStore());
        show(valid.get());
        expectThrows(() -> valid.get().dbSecret(TestWallets.DB_SECRET, shortDbSecret).build());
        try (Wallet built = valid.get().build()) {
            show(built);
        }
    }

    private static String sign(String payload) {
        return StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, NOW_SECONDS);
    }
}
