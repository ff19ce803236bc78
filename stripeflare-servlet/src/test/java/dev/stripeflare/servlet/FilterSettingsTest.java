package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class FilterSettingsTest {

    @Test
    void productionIsSecureAtTheRootWithAOneMebibyteWebhookLimit() {
        FilterSettings settings = FilterSettings.production();
        assertThat(settings.developmentCookies()).isFalse();
        assertThat(settings.mePath()).isEqualTo("/me");
        assertThat(settings.rotateTokenPath()).isEqualTo("/rotate-token");
        assertThat(settings.webhookPath()).isEqualTo("/stripe-webhook");
        assertThat(settings.maxWebhookBodyBytes()).isEqualTo(1 << 20);
        assertThat(settings.responseBufferBytes()).isZero();
        assertThat(settings.webhookReadTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(settings.webhookMinBytesPerSecond()).isEqualTo(1024);
    }

    @Test
    void aPrefixPrecedesEveryEndpoint() {
        assertThat(FilterSettings.development().withPathPrefix("/api/wallet").webhookPath())
                .isEqualTo("/api/wallet/stripe-webhook");
    }

    @Test
    void malformedSettingsAreRejectedWithTheirName() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production().withPathPrefix("/wallet/"))
                .withMessageContaining("pathPrefix");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production().withPathPrefix("wallet"))
                .withMessageContaining("pathPrefix");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production().withCookieDomain("a b; x"))
                .withMessageContaining("cookieDomain");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production().withMaxWebhookBodyBytes(0))
                .withMessageContaining("maxWebhookBodyBytes");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production().withResponseBufferBytes(-1))
                .withMessageContaining("responseBufferBytes");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production()
                        .withWebhookReadLimits(java.time.Duration.ZERO, 1))
                .withMessageContaining("webhookReadTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterSettings.production()
                        .withWebhookReadLimits(java.time.Duration.ofSeconds(1), -1))
                .withMessageContaining("webhookMinBytesPerSecond");
    }

    @Test
    void theCheckoutReturnLivesUnderThePrefixAndLandsOnALocalPathOnly() {
        assertThat(FilterSettings.production().checkoutReturnPath()).isEqualTo("/checkout-return");
        assertThat(FilterSettings.production().checkoutLandingPath()).isEqualTo("/");
        FilterSettings settings = FilterSettings.production().withPathPrefix("/wallet")
                .withCheckoutLandingPath("/account?tab=wallet");
        assertThat(settings.checkoutReturnPath()).isEqualTo("/wallet/checkout-return");
        assertThat(settings.checkoutLandingPath()).isEqualTo("/account?tab=wallet");
        for (String offSite : new String[] {"", "account", "//evil.example", "/\\evil.example", "https://evil.example",
                "/ok\r\nSet-Cookie: x=y", "/a b", "/caf\u00e9"}) {
            assertThatIllegalArgumentException().as(offSite)
                    .isThrownBy(() -> FilterSettings.production().withCheckoutLandingPath(offSite))
                    .withMessageContaining("checkoutLandingPath");
        }
    }
}
