/**
 * Micrometer metrics for a {@link dev.stripeflare.Wallet}, without Spring:
 * {@link dev.stripeflare.micrometer.StripeflareMetrics} (the meters, a {@code MeterBinder} and a
 * {@code WalletListener}) and {@link dev.stripeflare.micrometer.MeteredWallet} (the decorator that
 * times charges and counts webhook deliveries and store errors).
 */
package dev.stripeflare.micrometer;
