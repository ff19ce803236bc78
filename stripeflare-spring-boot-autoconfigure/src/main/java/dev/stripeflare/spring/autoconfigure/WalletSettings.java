package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.core.Stripeflare;
import java.util.List;

/** Turns {@link StripeflareProperties} into a wallet builder, leaving unset values at the library's defaults. */
final class WalletSettings {
    private WalletSettings() {
    }

    static Stripeflare.Builder builder(StripeflareProperties properties) {
        Stripeflare.Builder builder = Stripeflare.builder();
        builder.dbSecret(properties.getDbSecret(), array(properties.getPreviousDbSecrets()));
        builder.webhookSigningSecret(properties.getWebhookSigningSecret(),
                array(properties.getAdditionalWebhookSigningSecrets()));
        builder.stripeSecretKey(properties.getStripeSecretKey());
        builder.paymentLink(properties.getPaymentLink());
        if (properties.getPaymentLinkId() != null) {
            builder.paymentLinkId(properties.getPaymentLinkId());
        }
        if (properties.getCurrency() != null) {
            builder.currency(properties.getCurrency());
        }
        builder.loginByPayment(properties.isLoginByPayment());
        if (properties.getStripeApiBase() != null) {
            builder.stripeApiBase(properties.getStripeApiBase());
        }
        if (properties.getWebhookTolerance() != null) {
            builder.webhookTolerance(properties.getWebhookTolerance());
        }
        if (properties.getStripeApiTimeout() != null) {
            builder.stripeApiTimeout(properties.getStripeApiTimeout());
        }
        return builder;
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(new String[0]);
    }
}
