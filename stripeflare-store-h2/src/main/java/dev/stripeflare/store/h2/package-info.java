/**
 * The H2 store: {@link dev.stripeflare.store.h2.H2UserStore}, its
 * {@link dev.stripeflare.store.h2.AppMigration application migrations} and its typed
 * {@link dev.stripeflare.store.h2.H2Admin admin queries}. Everything else is package-private.
 */
package dev.stripeflare.store.h2;
