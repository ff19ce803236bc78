/**
 * The public API of stripeflare: {@link dev.stripeflare.Wallet}, the values it takes and
 * returns, and the exceptions it throws (all under {@link dev.stripeflare.StripeflareException}).
 */
package dev.stripeflare;
