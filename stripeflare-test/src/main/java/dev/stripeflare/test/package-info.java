/**
 * A test kit for applications on stripeflare: {@link dev.stripeflare.test.StripeTestKit} signs
 * real Stripe webhook events, plays Stripe's API on a local port and builds wallets wired to
 * both, so a whole top-up, charge, refund and dispute loop runs offline. Take it in test scope.
 */
package dev.stripeflare.test;
