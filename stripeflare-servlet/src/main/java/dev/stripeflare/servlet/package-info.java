/**
 * stripeflare for any Jakarta Servlet 6 container: {@link dev.stripeflare.servlet.StripeflareFilter}
 * with its {@link dev.stripeflare.servlet.FilterSettings}, the per-request
 * {@link dev.stripeflare.servlet.StripeflareSession}, and {@link dev.stripeflare.servlet.PaymentRequired}.
 * Depends only on {@code stripeflare-api} and the (provided) Servlet API.
 */
package dev.stripeflare.servlet;
