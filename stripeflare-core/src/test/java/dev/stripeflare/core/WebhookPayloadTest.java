package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();
    private final Logger webhookLog = Logger.getLogger(StripeWebhooks.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        webhookLog.addHandler(capture);
        webhookLog.setUseParentHandlers(false);
    }

    @AfterEach
    void close() {
        webhookLog.removeHandler(capture);
        webhookLog.setUseParentHandlers(true);
        harness.close();
    }

    private void assertRefusedAndNothingChanged(WebhookResult result) {
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
    }

    private String formatted(LogRecord record) {
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }

    @Test
    void signedMalformedJsonIsRefused() {
        for (String body : List.of("", "null", "[]", "42", "\"event\"", "{\"id\": \"evt_1\", \"type\": ",
                "{\"object\": \"event\"}", "not json at all")) {
            assertRefusedAndNothingChanged(harness.deliver(body));
        }
    }

    @Test
    void signedMebibyteOfGarbageIsRefusedQuickly() {
        for (String garbage : List.of("[".repeat(1 << 20), "{\"a\":".repeat((1 << 20) / 5), "x".repeat(1 << 20))) {
            long started = System.nanoTime();

            WebhookResult result = harness.deliver(garbage);

            // A guard against pathological parsing (deep nesting, quadratic scans), not a speed claim:
            // such a blow-up takes minutes, a normal refusal milliseconds, so 10 s is safe on a loaded CI.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertRefusedAndNothingChanged(result);
        }
    }

    @Test
    void eventWithoutDataObjectIsRefused() {
        String body = "{\"id\": \"evt_1\", \"object\": \"event\", \"api_version\": \"" + Stripe.API_VERSION
                + "\", \"type\": \"checkout.session.completed\", \"data\": {}}";
        String noData = "{\"id\": \"evt_1\", \"object\": \"event\", \"type\": \"charge.refunded\"}";

        assertRefusedAndNothingChanged(harness.deliver(body));
        assertRefusedAndNothingChanged(harness.deliver(noData));
    }

    @Test
    void fieldsOfTheWrongTypeAreRefused() {
        assertRefusedAndNothingChanged(harness.deliver(checkoutCompleted(ada, 1)
                .replace("\"amount_total\": 500", "\"amount_total\": \"five hundred\"").json()));
        assertRefusedAndNothingChanged(harness.deliver(checkoutCompleted(ada, 2)
                .replace("\"customer_details\": {", "\"customer_details\": [{").replace("\"tax_ids\": []\n      }",
                        "\"tax_ids\": []\n      }]").json()));
        assertRefusedAndNothingChanged(harness.deliver(checkoutCompleted(ada, 3)
                .replace("\"created\": 1764000000", "\"created\": \"yesterday\"").json()));
    }

    @Test
    void dataObjectOfAnotherKindIsRefused() {
        String chargeAsSession = WebhookHarness.refunded(1)
                .replace("\"type\": \"charge.refunded\"", "\"type\": \"checkout.session.completed\"").json();

        WebhookResult result = harness.deliver(chargeAsSession);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        assertThat(result.message()).contains("Session");
    }

    @Test
    void refusalMessagesAndLogsNeverQuoteThePayload() {
        String body = checkoutCompleted(ada, 1).replace("\"amount_total\": 500", "\"amount_total\": \"secret-ish\"")
                .json();

        WebhookResult result = harness.deliver(body);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.REJECTED_PAYLOAD);
        assertThat(result.message()).doesNotContain("secret-ish").doesNotContain(ada.clientReferenceId());
        assertThat(logged).isNotEmpty().allSatisfy(record -> assertThat(formatted(record))
                .doesNotContain("secret-ish").doesNotContain(ada.clientReferenceId())
                .doesNotContain(ada.accessToken()).doesNotContain(TestWallets.SIGNING_SECRET));
    }

    @Test
    void eventFromAnotherApiVersionIsCreditedAndTheMismatchLogged() {
        String older = checkoutCompleted(ada, 1)
                .replace("\"api_version\": \"" + Stripe.API_VERSION + "\"", "\"api_version\": \"2024-06-20\"").json();

        WebhookResult result = harness.deliver(older);

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(logged).filteredOn(record -> record.getLevel() == Level.WARNING)
                .singleElement().satisfies(record -> assertThat(formatted(record))
                        .contains("evt_completed_1", "2024-06-20", Stripe.API_VERSION)
                        .doesNotContain(ada.clientReferenceId()).doesNotContain(ada.accessToken()));
    }

    @Test
    void eventFromAnotherApiVersionLackingAFieldIsRefusedNotDropped() {
        String older = checkoutCompleted(ada, 1)
                .replace("\"api_version\": \"" + Stripe.API_VERSION + "\"", "\"api_version\": \"2019-03-14\"")
                .replace("\"amount_total\": 500,", "\"display_items_total\": 500,").json();

        WebhookResult result = harness.deliver(older);

        assertRefusedAndNothingChanged(result);
        assertThat(result.message()).contains("amount_total");
        assertThat(logged).anySatisfy(record -> assertThat(formatted(record)).contains("2019-03-14"));
    }
}
