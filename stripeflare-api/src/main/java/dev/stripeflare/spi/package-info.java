/**
 * The service-provider interface that storage implements: {@link dev.stripeflare.spi.UserStore}
 * and the values it takes and returns. Applications pass a store to the wallet's builder; they
 * never need to call it directly.
 */
package dev.stripeflare.spi;
