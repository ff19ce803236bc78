/**
 * Spring Boot auto-configuration for stripeflare: a {@link dev.stripeflare.Wallet} from the
 * {@code stripeflare.*} properties ({@link dev.stripeflare.spring.autoconfigure.StripeflareProperties}),
 * the servlet filter, an Actuator health indicator, Micrometer metrics and a failure analyzer for
 * missing or malformed settings.
 */
package dev.stripeflare.spring.autoconfigure;
