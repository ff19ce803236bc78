/**
 * The store contract suite: {@link dev.stripeflare.tck.UserStoreContract}, which every
 * {@link dev.stripeflare.spi.UserStore}'s tests extend, and small helpers for a store's own
 * tests ({@link dev.stripeflare.tck.TokenHashes}, {@link dev.stripeflare.tck.StoreFixtures},
 * {@link dev.stripeflare.tck.LedgerAssertions}, {@link dev.stripeflare.tck.ConcurrentRun}).
 */
package dev.stripeflare.tck;
