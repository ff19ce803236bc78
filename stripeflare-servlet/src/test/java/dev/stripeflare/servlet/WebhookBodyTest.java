package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The limits of a webhook body, on a clock the test controls. */
class WebhookBodyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBodyThatArrivesQuicklyIsAccepted() {
        WebhookBody body = new WebhookBody(100, 10_000, 1024, 0);
        assertThat(body.append(new byte[50], 50, SECOND / 2)).isNull();
        assertThat(body.bytes()).hasSize(50);
    }

    @Test
    void aBodyLargerThanTheLimitIsTooLarge() {
        WebhookBody body = new WebhookBody(100, 10_000, 0, 0);
        assertThat(body.append(new byte[80], 80, 0)).isNull();
        assertThat(body.append(new byte[80], 21, 0)).isEqualTo(WebhookBody.Problem.TOO_LARGE);
    }

    @Test
    void belowTheMinimumRateAfterTheFirstSecondIsTooSlow() {
        WebhookBody body = new WebhookBody(1 << 20, 10_000, 1024, 0);
        assertThat(body.append(new byte[10], 10, SECOND)).isNull();
        assertThat(body.append(new byte[10], 10, 3 * SECOND)).isEqualTo(WebhookBody.Problem.TOO_SLOW);
    }

    @Test
    void pastTheDeadlineIsTooSlowWhateverTheRate() {
        WebhookBody body = new WebhookBody(1 << 20, 2_000, 0, 0);
        assertThat(body.append(new byte[10], 10, SECOND)).isNull();
        assertThat(body.tooSlow(3 * SECOND)).isTrue();
    }
}
