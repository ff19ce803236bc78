package dev.stripeflare.servlet;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of a {@link StripeflareFilter}. Immutable and validated on construction, so an
 * instance always describes a filter that can run.
 *
 * <p>Start from {@link #production()} or {@link #development()} and adjust with the
 * {@code with…} methods:
 * <pre>{@code
 * FilterSettings settings = FilterSettings.production()
 *         .withPathPrefix("/wallet")
 *         .withCookieDomain("example.com");
 * }</pre>
 *
 * @param pathPrefix          where the filter's own endpoints live: {@code ""} (the default, as
 *                            upstream: {@code /me}) or {@code "/segment[/segment…]"} without a
 *                            trailing slash, relative to the servlet context
 * @param developmentCookies  true to leave {@code Secure} and {@code Domain} off the
 *                            {@code access_token} cookie (plain-HTTP local development); false in
 *                            production
 * @param cookieDomain        the cookie's {@code Domain} in production; empty to use the host the
 *                            request was addressed to (as upstream does); ignored with
 *                            development cookies
 * @param maxWebhookBodyBytes the largest webhook body accepted, in bytes; larger ones answer 413
 * @param checkoutLandingPath where {@code GET /checkout-return} sends the browser (303), relative
 *                            to the servlet context: {@code /} followed by anything printable
 *                            but a second {@code /} or a backslash (never another site); default
 *                            {@code "/"}
 */
public record FilterSettings(
        String pathPrefix,
        boolean developmentCookies,
        Optional<String> cookieDomain,
        int maxWebhookBodyBytes,
        String checkoutLandingPath) {

    /** Stripe's events are a few kilobytes; 1 MiB leaves ample room and bounds memory. */
    public static final int DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1 << 20;

    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]+");
    /** A local path: no scheme, no {@code //host}, no backslash (browsers read {@code /\host} as a host). */
    private static final Pattern LANDING_PATH = Pattern.compile("/(?![/\\\\])[\\x21-\\x5B\\x5D-\\x7E]*");

    /**
     * @throws NullPointerException     if a value is null
     * @throws IllegalArgumentException if the prefix, domain or size is malformed
     */
    public FilterSettings {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(cookieDomain, "cookieDomain");
        if (!PREFIX.matcher(pathPrefix).matches()) {
            throw new IllegalArgumentException(
                    "pathPrefix must be empty or /segment[/segment…] without a trailing slash, was " + pathPrefix);
        }
        cookieDomain.ifPresent(domain -> {
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("cookieDomain must be a host name, was " + domain);
            }
        });
        if (maxWebhookBodyBytes < 1) {
            throw new IllegalArgumentException("maxWebhookBodyBytes must be positive, was " + maxWebhookBodyBytes);
        }
        Objects.requireNonNull(checkoutLandingPath, "checkoutLandingPath");
        if (!LANDING_PATH.matcher(checkoutLandingPath).matches()) {
            throw new IllegalArgumentException("checkoutLandingPath must be a local path (/…, printable, no // or \\)");
        }
    }

    /** Endpoints at the root, {@code Secure} cookies for the request's host, 1 MiB webhook bodies. */
    public static FilterSettings production() {
        return new FilterSettings("", false, Optional.empty(), DEFAULT_MAX_WEBHOOK_BODY_BYTES, "/");
    }

    /** As {@link #production()}, but the cookie has neither {@code Secure} nor {@code Domain}. */
    public static FilterSettings development() {
        return production().withDevelopmentCookies(true);
    }

    /** These settings with the endpoints under {@code prefix} (e.g. {@code "/wallet"}). */
    public FilterSettings withPathPrefix(String prefix) {
        return new FilterSettings(prefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath);
    }

    /** These settings with {@code Secure} and {@code Domain} turned off ({@code true}) or on. */
    public FilterSettings withDevelopmentCookies(boolean development) {
        return new FilterSettings(pathPrefix, development, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath);
    }

    /** These settings with a fixed cookie {@code Domain} (production cookies only). */
    public FilterSettings withCookieDomain(String domain) {
        return new FilterSettings(pathPrefix, developmentCookies,
                Optional.of(Objects.requireNonNull(domain, "domain")), maxWebhookBodyBytes, checkoutLandingPath);
    }

    /** These settings with a different webhook body limit, in bytes. */
    public FilterSettings withMaxWebhookBodyBytes(int bytes) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, bytes, checkoutLandingPath);
    }

    /** These settings with {@code GET /checkout-return} sending the browser to {@code path}. */
    public FilterSettings withCheckoutLandingPath(String path) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, path);
    }

    /** The path of {@code GET /me}, relative to the servlet context. */
    public String mePath() {
        return pathPrefix + "/me";
    }

    /** The path of {@code POST /rotate-token}, relative to the servlet context. */
    public String rotateTokenPath() {
        return pathPrefix + "/rotate-token";
    }

    /**
     * The path of {@code GET /checkout-return}, relative to the servlet context: configure the
     * Payment Link's after-completion redirect to
     * {@code https://<host><context><this path>?session_id={CHECKOUT_SESSION_ID}}.
     */
    public String checkoutReturnPath() {
        return pathPrefix + "/checkout-return";
    }

    /** The path of {@code POST /stripe-webhook}, relative to the servlet context. */
    public String webhookPath() {
        return pathPrefix + "/stripe-webhook";
    }
}
