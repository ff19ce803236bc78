/**
 * Framework-free helpers for serving a wallet over HTTP without the servlet filter (the JDK's
 * {@code HttpServer}, Netty, Vert.x, …): reading the token a request presents from its
 * {@code Authorization} and {@code Cookie} headers ({@link dev.stripeflare.http.PresentedToken}),
 * the {@code Set-Cookie} value that hands a token out ({@link dev.stripeflare.http.TokenCookie}),
 * and the {@code /me} body ({@link dev.stripeflare.http.MeBody}). The servlet filter uses the same
 * classes, so both paths read and write tokens alike.
 */
package dev.stripeflare.http;
