/**
 * The store contract suite: {@link dev.stripeflare.tck.UserStoreContract}, which every
 * {@link dev.stripeflare.spi.UserStore}'s tests extend, and small helpers for a store's own
 * tests ({@link dev.stripeflare.spi.TokenHashes}, {@link dev.stripeflare.tck.StoreFixtures},
 * {@link dev.stripeflare.tck.LedgerAssertions}, {@link dev.stripeflare.tck.ConcurrentRun}), the
 * bank test's workload to run longer or against a wrapped store
 * ({@link dev.stripeflare.tck.BankWorkload}, {@link dev.stripeflare.tck.BankReport}) and
 * {@link dev.stripeflare.tck.ForwardingUserStore} to wrap one.
 */
package dev.stripeflare.tck;
