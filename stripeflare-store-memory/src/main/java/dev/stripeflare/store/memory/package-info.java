/**
 * {@link dev.stripeflare.store.memory.InMemoryUserStore}: a thread-safe, heap-only
 * {@link dev.stripeflare.spi.UserStore}. Everything else in this package is internal.
 */
package dev.stripeflare.store.memory;
