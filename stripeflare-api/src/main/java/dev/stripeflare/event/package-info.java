/**
 * What a wallet tells its {@link dev.stripeflare.event.WalletListener} after money moved or needs
 * an operator: one immutable record per kind of event.
 */
package dev.stripeflare.event;
