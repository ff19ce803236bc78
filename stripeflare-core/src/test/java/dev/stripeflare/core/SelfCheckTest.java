package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.SelfCheckReport;
import dev.stripeflare.SelfCheckReport.Check;
import dev.stripeflare.SelfCheckReport.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up self-check (issue 11 item 3) against a local server playing Stripe's API with
 * realistic payloads: the pass, and each failure an operator can meet.
 */
class SelfCheckTest {
    private static final String LINK_ID = "plink_1SAcmePaymentLink0001";
    private static final String NOT_FOUND = "{\"error\": {\"code\": \"resource_missing\", \"doc_url\":"
            + " \"https://stripe.com/docs/error-codes/resource-missing\", \"message\": \"No such payment_link: '"
            + LINK_ID + "'\", \"param\": \"id\", \"type\": \"invalid_request_error\"}}";
    private static final String BAD_KEY = "{\"error\": {\"message\": \"Invalid API Key provided: sk_test_****6789\","
            + " \"type\": \"invalid_request_error\"}}";
    private static final String NO_PERMISSION = "{\"error\": {\"message\": \"The provided key 'rk_test_****6789'"
            + " does not have the required permissions for this endpoint.\", \"type\": \"invalid_request_error\"}}";

    private final WebhookHarness harness = new WebhookHarness(builder -> builder.paymentLinkId(LINK_ID));

    @BeforeEach
    void aWellConfiguredAccount() {
        harness.stripe.answer("/v1/balance", 200, StripeJson.load("balance.json").json());
        harness.stripe.answer("/v1/payment_links/" + LINK_ID, 200, StripeJson.load("payment_link.json").json());
        harness.stripe.answer("/v1/webhook_endpoints", 200, StripeJson.load("webhook_endpoint.list.json").json());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private Check check(String name) {
        return harness.wallet.selfCheck().checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private void endpoints(StripeJson list) {
        harness.stripe.answer("/v1/webhook_endpoints", 200, list.json());
    }

    private static StripeJson endpointList() {
        return StripeJson.load("webhook_endpoint.list.json");
    }

    @Test
    void aWellConfiguredAccountPassesWithGetsOnly() {
        SelfCheckReport report = harness.wallet.selfCheck();

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.checks()).extracting(Check::name)
                .containsExactly(SelfCheck.API_KEY, SelfCheck.PAYMENT_LINK, SelfCheck.WEBHOOK_ENDPOINT);
        assertThat(report.checks()).extracting(Check::status).containsOnly(Status.PASS);
        assertThat(harness.stripe.requests()).extracting(FakeStripeApi.Request::method).containsOnly("GET");
        assertThat(harness.stripe.requests()).extracting(FakeStripeApi.Request::authorization)
                .containsOnly("Bearer sk_test_0123456789");
        assertThat(report.toString()).doesNotContain("sk_test_0123456789");
    }

    @Test
    void aRefusedKeyFailsAndTheRestIsSkipped() {
        harness.stripe.answer("/v1/balance", 401, BAD_KEY);

        SelfCheckReport report = harness.wallet.selfCheck();

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).extracting(Check::status).containsExactly(Status.FAIL, Status.SKIPPED, Status.SKIPPED);
        assertThat(report.failures()).singleElement().satisfies(c -> assertThat(c.message())
                .contains("refused the API key").contains("401"));
    }

    @Test
    void stripeUnreachableFails() {
        harness.stripe.answer("/v1/balance", 500, "{\"error\": {\"type\": \"api_error\", \"message\": \"An unknown"
                + " error occurred\"}}");

        assertThat(check(SelfCheck.API_KEY).status()).isEqualTo(Status.FAIL);
        assertThat(check(SelfCheck.API_KEY).message()).contains("could not ask");
    }

    @Test
    void aRestrictedKeyPassesAndWhatItMayNotReadIsSkipped() {
        harness.stripe.answer("/v1/balance", 403, NO_PERMISSION);
        harness.stripe.answer("/v1/payment_links/" + LINK_ID, 403, NO_PERMISSION);
        harness.stripe.answer("/v1/webhook_endpoints", 403, NO_PERMISSION);

        SelfCheckReport report = harness.wallet.selfCheck();

        assertThat(report.checks()).extracting(Check::status)
                .containsExactly(Status.PASS, Status.SKIPPED, Status.SKIPPED);
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aPaymentLinkInAnotherCurrencyFails() {
        harness.stripe.answer("/v1/payment_links/" + LINK_ID, 200, StripeJson.load("payment_link.json")
                .replace("\"currency\": \"usd\"", "\"currency\": \"eur\"").json());

        Check link = check(SelfCheck.PAYMENT_LINK);

        assertThat(link.status()).isEqualTo(Status.FAIL);
        assertThat(link.message()).contains("eur").contains("usd").contains("unclaimed");
    }

    @Test
    void anInactiveOrOtherPaymentLinkFails() {
        harness.stripe.answer("/v1/payment_links/" + LINK_ID, 200, StripeJson.load("payment_link.json")
                .replace("\"active\": true", "\"active\": false")
                .replace("https://buy.stripe.com/test_abc123", "https://buy.stripe.com/test_other").json());

        Check link = check(SelfCheck.PAYMENT_LINK);

        assertThat(link.status()).isEqualTo(Status.FAIL);
        assertThat(link.message()).contains("not active").contains("https://buy.stripe.com/test_other");
    }

    @Test
    void anUnknownPaymentLinkFails() {
        harness.stripe.answer("/v1/payment_links/" + LINK_ID, 404, NOT_FOUND);

        Check link = check(SelfCheck.PAYMENT_LINK);

        assertThat(link.status()).isEqualTo(Status.FAIL);
        assertThat(link.message()).contains("no Payment Link").contains("404");
    }

    @Test
    void withoutAPaymentLinkIdTheLinkIsSkipped() {
        try (WebhookHarness noId = new WebhookHarness()) {
            noId.stripe.answer("/v1/balance", 200, StripeJson.load("balance.json").json());
            noId.stripe.answer("/v1/webhook_endpoints", 200, endpointList().json());

            SelfCheckReport report = noId.wallet.selfCheck();

            assertThat(report.checks()).extracting(Check::status).containsExactly(Status.PASS, Status.SKIPPED, Status.PASS);
            assertThat(noId.stripe.requests()).extracting(FakeStripeApi.Request::path)
                    .doesNotContain("/v1/payment_links/" + LINK_ID);
        }
    }

    @Test
    void noWebhookEndpointFails() {
        endpoints(endpointList().replace(endpointList().json().substring(endpointList().json().indexOf('['),
                endpointList().json().lastIndexOf(']') + 1), "[]"));

        Check endpoint = check(SelfCheck.WEBHOOK_ENDPOINT);

        assertThat(endpoint.status()).isEqualTo(Status.FAIL);
        assertThat(endpoint.message()).contains("no webhook endpoint");
    }

    @Test
    void aDisabledEndpointFails() {
        endpoints(endpointList().replace("\"status\": \"enabled\"", "\"status\": \"disabled\""));

        assertThat(check(SelfCheck.WEBHOOK_ENDPOINT).status()).isEqualTo(Status.FAIL);
        assertThat(check(SelfCheck.WEBHOOK_ENDPOINT).message()).contains("no webhook endpoint is enabled");
    }

    @Test
    void anEndpointMissingEventsFailsNamingThem() {
        endpoints(endpointList().replace("        \"charge.refunded\",\n", "")
                .replace(",\n        \"charge.dispute.closed\"", ""));

        Check endpoint = check(SelfCheck.WEBHOOK_ENDPOINT);

        assertThat(endpoint.status()).isEqualTo(Status.FAIL);
        assertThat(endpoint.message()).contains("charge.refunded").contains("charge.dispute.closed")
                .doesNotContain("checkout.session.completed");
    }

    @Test
    void anEndpointOnAnotherApiVersionFails() {
        endpoints(endpointList().replace("2026-07-29.dahlia", "2024-06-20"));

        Check endpoint = check(SelfCheck.WEBHOOK_ENDPOINT);

        assertThat(endpoint.status()).isEqualTo(Status.FAIL);
        assertThat(endpoint.message()).contains("2024-06-20").contains("2026-07-29.dahlia");
    }

    @Test
    void anEndpointForEveryEventAtTheAccountsDefaultVersionPasses() {
        String list = endpointList().json();
        String events = list.substring(list.indexOf("\"enabled_events\": [") + "\"enabled_events\": ".length(),
                list.indexOf(']') + 1);
        endpoints(endpointList().replace(events, "[\"*\"]")
                .replace("\"api_version\": \"2026-07-29.dahlia\"", "\"api_version\": null"));

        Check endpoint = check(SelfCheck.WEBHOOK_ENDPOINT);

        assertThat(endpoint.status()).isEqualTo(Status.PASS);
        assertThat(endpoint.message()).contains("account's default");
    }
}
