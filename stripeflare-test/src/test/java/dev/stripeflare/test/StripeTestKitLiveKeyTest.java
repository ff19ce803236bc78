package dev.stripeflare.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Review: the kit is for tests only. Given a live key (say a STRIPE_SECRET read from the
 * environment by mistake) it would hold it, and {@link StripeTestKit#walletBuilder} would hand
 * out a live-mode wallet whose webhook secret is the kit's published one: refuse it up front.
 */
class StripeTestKitLiveKeyTest {

    @Test
    void aLiveOrUnknownKeyIsRefused() {
        for (String key : new String[] {"sk_live_abc", "rk_live_abc", "pk_test_abc", "abc", ""}) {
            assertThatThrownBy(() -> StripeTestKit.builder().secretKey(key))
                    .as(key).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("_abc");   // never echoes the key
        }
    }

    @Test
    void testKeysAreTaken() {
        StripeTestKit.builder().secretKey("sk_test_x").secretKey("rk_test_x");
    }
}
