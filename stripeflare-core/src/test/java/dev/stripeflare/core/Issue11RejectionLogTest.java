package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.WebhookOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 9: refused webhook deliveries used to log one INFO line each, and a wrong secret
 * read the same as a clock off by an hour. Now each cause logs at most one WARNING per minute of
 * the wallet's clock, carrying the count, and the causes read differently.
 */
class Issue11RejectionLogTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final CapturedLog log = new CapturedLog(RejectionLog.class);
    private final String payload = checkoutCompleted(harness.visitor(), 1).json();

    @AfterEach
    void close() {
        log.close();
        harness.close();
    }

    private long now() {
        return harness.clock.instant().getEpochSecond();
    }

    private void badSignatures(int count) {
        String forged = StripeSignatures.header(payload, "whsec_not_the_wallets_secret_0000", now());
        for (int i = 0; i < count; i++) {
            assertThat(harness.wallet.handleWebhookPayload(payload, forged).outcome())
                    .isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        }
    }

    @Test
    void tenThousandBadSignaturesLogOneWarningAndTheNextMinuteCarriesTheCount() {
        badSignatures(10_000);

        assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line.message())
                .contains("bad signature").contains("1 refused"));

        harness.clock.advance(Duration.ofSeconds(59));
        badSignatures(1);
        assertThat(log.warnings()).as("still within the minute").hasSize(1);

        harness.clock.advance(Duration.ofSeconds(1));
        badSignatures(1);
        List<CapturedLog.Line> warnings = log.warnings();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1).message()).contains("bad signature").contains("10001 refused since");
        assertThat(log.lines()).as("nothing but the two WARNINGs").hasSize(2);
    }

    @Test
    void aClockOffByAnHourReadsAsATimestampOutsideTheToleranceWithItsSkew() {
        String late = StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, now() - 3_600);
        String early = StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, now() + 900);

        assertThat(harness.wallet.handleWebhookPayload(payload, late).outcome())
                .isEqualTo(WebhookOutcome.REJECTED_SIGNATURE);
        harness.wallet.handleWebhookPayload(payload, early);
        harness.clock.advance(Duration.ofMinutes(1));
        harness.wallet.handleWebhookPayload(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET,
                now() - 3_600));

        List<CapturedLog.Line> warnings = log.warnings();
        assertThat(warnings).hasSize(2).allSatisfy(line -> assertThat(line.message())
                .contains("timestamp outside the tolerance").doesNotContain("bad signature"));
        assertThat(warnings.get(0).message()).contains("latest -3600 s");
        assertThat(warnings.get(1).message()).contains("2 refused since").contains("latest -3600 s")
                .contains("largest -3600 s");
    }

    @Test
    void eachCauseHasItsOwnLine() {
        badSignatures(3);
        harness.wallet.handleWebhookPayload(payload, null);
        harness.wallet.handleWebhookPayload(payload, "t=notanumber,v1=abc");
        harness.wallet.handleWebhookPayload(payload, StripeSignatures.header(payload, TestWallets.SIGNING_SECRET,
                now() - 1_000));

        assertThat(log.warnings()).extracting(CapturedLog.Line::message).hasSize(3)
                .anySatisfy(m -> assertThat(m).contains("bad signature"))
                .anySatisfy(m -> assertThat(m).contains("malformed"))
                .anySatisfy(m -> assertThat(m).contains("timestamp outside the tolerance").contains("-1000 s"));
    }

    @Test
    void anAcceptedDeliveryLogsNoRefusal() {
        assertThat(harness.deliver(payload).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(log.lines()).isEmpty();
    }
}
