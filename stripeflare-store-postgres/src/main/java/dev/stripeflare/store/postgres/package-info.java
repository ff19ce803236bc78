/**
 * A {@link dev.stripeflare.spi.UserStore} on a shared PostgreSQL database: several application
 * instances (JVMs) use one wallet at once, and every guarantee lives in SQL. Start at
 * {@link dev.stripeflare.store.postgres.PostgresUserStore}.
 */
package dev.stripeflare.store.postgres;
