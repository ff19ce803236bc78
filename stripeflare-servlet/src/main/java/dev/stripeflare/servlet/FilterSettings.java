package dev.stripeflare.servlet;

import java.time.Duration;
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
 * @param developmentCookies  true for a plain {@code access_token} cookie without {@code Secure}
 *                            (plain-HTTP local development); false in production, where the
 *                            cookie is {@code __Host-access_token}: {@code Secure}, {@code Path=/},
 *                            no {@code Domain}, so no sibling subdomain can plant or read it
 * @param cookieDomain        empty (the default) for the {@code __Host-} cookie; a domain to share
 *                            the cookie with subdomains instead (plain {@code access_token} with
 *                            {@code Domain} and {@code Secure}: gives up the {@code __Host-}
 *                            protection); ignored with development cookies
 * @param maxWebhookBodyBytes the largest webhook body accepted, in bytes; larger ones answer 413
 * @param checkoutLandingPath where {@code GET /checkout-return} sends the browser (303), relative
 *                            to the servlet context: {@code /} followed by anything printable
 *                            but a second {@code /} or a backslash (never another site); default
 *                            {@code "/"}
 * @param responseBufferBytes how many bytes of a response are held before it commits (and is
 *                            charged); 0 (the default) for the container's buffer size
 *                            ({@code getBufferSize()}); memory per request stays bounded by it
 * @param webhookReadTimeout  how long a webhook body may take to arrive in full; a slower one
 *                            answers 408
 * @param webhookMinBytesPerSecond the slowest average rate a webhook body may arrive at, after its
 *                            first second; a slower one answers 408
 */
public record FilterSettings(
        String pathPrefix,
        boolean developmentCookies,
        Optional<String> cookieDomain,
        int maxWebhookBodyBytes,
        String checkoutLandingPath,
        int responseBufferBytes,
        Duration webhookReadTimeout,
        int webhookMinBytesPerSecond) {

    /** Stripe's events are a few kilobytes; 1 MiB leaves ample room and bounds memory. */
    public static final int DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1 << 20;
    /** Stripe sends a whole event at once; 10 s is generous. */
    public static final Duration DEFAULT_WEBHOOK_READ_TIMEOUT = Duration.ofSeconds(10);
    /** 1 KiB/s: any real sender is far faster; a trickling one is cut off. */
    public static final int DEFAULT_WEBHOOK_MIN_BYTES_PER_SECOND = 1024;

    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]+");
    /** A local path: no scheme, no {@code //host}, no backslash (browsers read {@code /\host} as a host). */
    private static final Pattern LANDING_PATH = Pattern.compile("/(?![/\\\\])[\\x21-\\x5B\\x5D-\\x7E]*");

    /**
     * @throws NullPointerException     if a value is null
     * @throws IllegalArgumentException if the prefix, domain or size is malformed
     *
     * @param pathPrefix          where the filter's own endpoints live: {@code ""} (the default, as
     *        upstream: {@code /me}) or {@code "/segment[/segment…]"} without a
     *        trailing slash, relative to the servlet context
     * @param developmentCookies  true for a plain {@code access_token} cookie without {@code Secure}
     *        (plain-HTTP local development); false in production, where the
     *        cookie is {@code __Host-access_token}: {@code Secure}, {@code Path=/},
     *        no {@code Domain}, so no sibling subdomain can plant or read it
     * @param cookieDomain        empty (the default) for the {@code __Host-} cookie; a domain to share
     *        the cookie with subdomains instead (plain {@code access_token} with
     *        {@code Domain} and {@code Secure}: gives up the {@code __Host-}
     *        protection); ignored with development cookies
     * @param maxWebhookBodyBytes the largest webhook body accepted, in bytes; larger ones answer 413
     * @param checkoutLandingPath where {@code GET /checkout-return} sends the browser (303), relative
     *        to the servlet context: {@code /} followed by anything printable
     *        but a second {@code /} or a backslash (never another site); default
     *        {@code "/"}
     * @param responseBufferBytes how many bytes of a response are held before it commits (and is
     *        charged); 0 (the default) for the container's buffer size
     *        ({@code getBufferSize()}); memory per request stays bounded by it
     * @param webhookReadTimeout  how long a webhook body may take to arrive in full; a slower one
     *        answers 408
     * @param webhookMinBytesPerSecond the slowest average rate a webhook body may arrive at, after its
     *        first second; a slower one answers 408
     */
    public FilterSettings {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(cookieDomain, "cookieDomain");
        Objects.requireNonNull(webhookReadTimeout, "webhookReadTimeout");
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
        if (responseBufferBytes < 0) {
            throw new IllegalArgumentException("responseBufferBytes must be 0 or positive, was " + responseBufferBytes);
        }
        if (webhookReadTimeout.toMillis() < 1 || webhookReadTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("webhookReadTimeout must be between 1 ms and 24 days, was "
                    + webhookReadTimeout);
        }
        if (webhookMinBytesPerSecond < 0) {
            throw new IllegalArgumentException("webhookMinBytesPerSecond must be 0 or positive, was "
                    + webhookMinBytesPerSecond);
        }
    }

    /**
     * Endpoints at the root, the {@code __Host-access_token} cookie, 1 MiB webhook bodies read
     * within 10 s at 1 KiB/s or more, the container's response buffer.
     *
     * @return the production settings
     */
    public static FilterSettings production() {
        return new FilterSettings("", false, Optional.empty(), DEFAULT_MAX_WEBHOOK_BODY_BYTES, "/", 0,
                DEFAULT_WEBHOOK_READ_TIMEOUT, DEFAULT_WEBHOOK_MIN_BYTES_PER_SECOND);
    }

    /**
     * As {@link #production()}, but the cookie is a plain {@code access_token} without {@code Secure}.
     *
     * @return the development settings
     */
    public static FilterSettings development() {
        return production().withDevelopmentCookies(true);
    }

    /**
     * These settings with the endpoints under {@code prefix} (e.g. {@code "/wallet"}).
     *
     * @param prefix empty, or {@code /segment[/segment…]} without a trailing slash
     * @return a copy with this change
     */
    public FilterSettings withPathPrefix(String prefix) {
        return new FilterSettings(prefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath,
                responseBufferBytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings with {@code Secure} and {@code Domain} turned off ({@code true}) or on.
     *
     * @param development true for plain-HTTP development cookies
     * @return a copy with this change
     */
    public FilterSettings withDevelopmentCookies(boolean development) {
        return new FilterSettings(pathPrefix, development, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath,
                responseBufferBytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings with a cookie shared with {@code domain}'s subdomains (production cookies
     * only): a plain {@code access_token} with {@code Domain}, which gives up the {@code __Host-}
     * prefix's protection against cookies planted by sibling subdomains.
     *
     * @param domain a host name
     * @return a copy with this change
     */
    public FilterSettings withCookieDomain(String domain) {
        return new FilterSettings(pathPrefix, developmentCookies,
                Optional.of(Objects.requireNonNull(domain, "domain")), maxWebhookBodyBytes, checkoutLandingPath,
                responseBufferBytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings with a different webhook body limit, in bytes.
     *
     * @param bytes positive
     * @return a copy with this change
     */
    public FilterSettings withMaxWebhookBodyBytes(int bytes) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, bytes, checkoutLandingPath,
                responseBufferBytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings with {@code GET /checkout-return} sending the browser to {@code path}.
     *
     * @param path a path on this site
     * @return a copy with this change
     */
    public FilterSettings withCheckoutLandingPath(String path) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, path,
                responseBufferBytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings holding {@code bytes} of each response before it commits; 0 for the container's.
     *
     * @param bytes 0, or the buffer size in bytes
     * @return a copy with this change
     */
    public FilterSettings withResponseBufferBytes(int bytes) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath,
                bytes, webhookReadTimeout, webhookMinBytesPerSecond);
    }

    /**
     * These settings with another deadline and minimum rate for webhook bodies.
     *
     * @param timeout           how long a whole body may take
     * @param minBytesPerSecond the slowest rate accepted
     * @return a copy with this change
     */
    public FilterSettings withWebhookReadLimits(Duration timeout, int minBytesPerSecond) {
        return new FilterSettings(pathPrefix, developmentCookies, cookieDomain, maxWebhookBodyBytes, checkoutLandingPath,
                responseBufferBytes, timeout, minBytesPerSecond);
    }

    /**
     * The path of {@code GET /me}, relative to the servlet context.
     *
     * @return the prefix followed by {@code /me}
     */
    public String mePath() {
        return pathPrefix + "/me";
    }

    /**
     * The path of {@code POST /rotate-token}, relative to the servlet context.
     *
     * @return the prefix followed by {@code /rotate-token}
     */
    public String rotateTokenPath() {
        return pathPrefix + "/rotate-token";
    }

    /**
     * The path of {@code GET /checkout-return}, relative to the servlet context: configure the
     * Payment Link's after-completion redirect to
     * {@code https://<host><context><this path>?session_id={CHECKOUT_SESSION_ID}}.
     *
     * @return the prefix followed by {@code /checkout-return}
     */
    public String checkoutReturnPath() {
        return pathPrefix + "/checkout-return";
    }

    /**
     * The path of {@code POST /stripe-webhook}, relative to the servlet context.
     *
     * @return the prefix followed by {@code /stripe-webhook}
     */
    public String webhookPath() {
        return pathPrefix + "/stripe-webhook";
    }
}
