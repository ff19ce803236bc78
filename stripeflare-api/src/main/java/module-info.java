/**
 * The public contract of stripeflare: the {@link dev.stripeflare.Wallet} facade, its values and
 * exceptions, and the {@link dev.stripeflare.spi.UserStore} SPI that storage implements.
 */
module dev.stripeflare.api {
    exports dev.stripeflare;
    exports dev.stripeflare.spi;
    exports dev.stripeflare.event;
    exports dev.stripeflare.http;
}
