package dev.stripeflare.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code stripeflare.*} properties the auto-configured wallet, store and filter are built
 * from. Unset values keep the library's defaults; the four secrets and links have none, and a
 * missing or malformed one stops start-up with a message naming the property
 * ({@link StripeflareFailureAnalyzer}).
 */
@ConfigurationProperties("stripeflare")
public class StripeflareProperties {
    /**
     * Secret the access tokens and payment references are keyed with: at least 32 random
     * characters, the same on every instance, never changed without keeping the old one in
     * previous-db-secrets.
     */
    private String dbSecret;

    /** Earlier db-secrets still accepted while tokens and links made under them are in use (rotation). */
    private List<String> previousDbSecrets = new ArrayList<>();

    /** The signing secret (whsec_...) of the Stripe webhook endpoint. */
    private String webhookSigningSecret;

    /** More signing secrets accepted too, e.g. while Stripe rolls the endpoint's secret. */
    private List<String> additionalWebhookSigningSecrets = new ArrayList<>();

    /** Stripe secret key (sk_...) or restricted key (rk_...); a first payment of a user is looked up with it. */
    private String stripeSecretKey;

    /** The Payment Link (https://buy.stripe.com/...) a user tops up through. */
    private String paymentLink;

    /** The Payment Link's id (plink_...): when set, only its checkouts top up. */
    private String paymentLinkId;

    /** Three-letter ISO 4217 currency of the balances (library default: usd). */
    private String currency;

    /** Whether paying with the same card or verified email on another device logs in (read "Security model" first). */
    private boolean loginByPayment;

    /** Base URI of Stripe's API; only for tests against a local stand-in. */
    private URI stripeApiBase;

    /** How old a webhook signature may be (library default: 5 minutes). */
    private Duration webhookTolerance;

    /** Timeout of a call to Stripe's API (library default: 5 seconds). */
    private Duration stripeApiTimeout;

    /**
     * Where the filter's endpoints live: "" (the default: /me, /rotate-token, /stripe-webhook,
     * /checkout-return) or "/segment[/segment...]".
     */
    private String pathPrefix = "";

    /** Where GET /checkout-return sends the browser back to. */
    private String checkoutLandingPath = "/";

    private final Cookie cookie = new Cookie();

    private final Store store = new Store();

    private final Filter filter = new Filter();

    public String getDbSecret() {
        return dbSecret;
    }

    public void setDbSecret(String dbSecret) {
        this.dbSecret = dbSecret;
    }

    public List<String> getPreviousDbSecrets() {
        return previousDbSecrets;
    }

    public void setPreviousDbSecrets(List<String> previousDbSecrets) {
        this.previousDbSecrets = previousDbSecrets;
    }

    public String getWebhookSigningSecret() {
        return webhookSigningSecret;
    }

    public void setWebhookSigningSecret(String webhookSigningSecret) {
        this.webhookSigningSecret = webhookSigningSecret;
    }

    public List<String> getAdditionalWebhookSigningSecrets() {
        return additionalWebhookSigningSecrets;
    }

    public void setAdditionalWebhookSigningSecrets(List<String> additionalWebhookSigningSecrets) {
        this.additionalWebhookSigningSecrets = additionalWebhookSigningSecrets;
    }

    public String getStripeSecretKey() {
        return stripeSecretKey;
    }

    public void setStripeSecretKey(String stripeSecretKey) {
        this.stripeSecretKey = stripeSecretKey;
    }

    public String getPaymentLink() {
        return paymentLink;
    }

    public void setPaymentLink(String paymentLink) {
        this.paymentLink = paymentLink;
    }

    public String getPaymentLinkId() {
        return paymentLinkId;
    }

    public void setPaymentLinkId(String paymentLinkId) {
        this.paymentLinkId = paymentLinkId;
    }

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public boolean isLoginByPayment() {
        return loginByPayment;
    }

    public void setLoginByPayment(boolean loginByPayment) {
        this.loginByPayment = loginByPayment;
    }

    public URI getStripeApiBase() {
        return stripeApiBase;
    }

    public void setStripeApiBase(URI stripeApiBase) {
        this.stripeApiBase = stripeApiBase;
    }

    public Duration getWebhookTolerance() {
        return webhookTolerance;
    }

    public void setWebhookTolerance(Duration webhookTolerance) {
        this.webhookTolerance = webhookTolerance;
    }

    public Duration getStripeApiTimeout() {
        return stripeApiTimeout;
    }

    public void setStripeApiTimeout(Duration stripeApiTimeout) {
        this.stripeApiTimeout = stripeApiTimeout;
    }

    public String getPathPrefix() {
        return pathPrefix;
    }

    public void setPathPrefix(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    public String getCheckoutLandingPath() {
        return checkoutLandingPath;
    }

    public void setCheckoutLandingPath(String checkoutLandingPath) {
        this.checkoutLandingPath = checkoutLandingPath;
    }

    public Cookie getCookie() {
        return cookie;
    }

    public Store getStore() {
        return store;
    }

    public Filter getFilter() {
        return filter;
    }

    /** The access-token cookie. */
    public static class Cookie {
        /**
         * Plain "access_token" cookie without Secure, for plain-HTTP local development. Off in
         * production, where the cookie is __Host-access_token (Secure, Path=/, no Domain).
         */
        private boolean development;

        /** Share the cookie with this domain's subdomains (gives up the __Host- protection); unset by default. */
        private String domain;

        public boolean isDevelopment() {
            return development;
        }

        public void setDevelopment(boolean development) {
            this.development = development;
        }

        public String getDomain() {
            return domain;
        }

        public void setDomain(String domain) {
            this.domain = domain;
        }
    }

    /** Where balances are kept. */
    public static class Store {
        /**
         * Which store: h2 (a file, the default), memory (lost on restart; tests and demos) or
         * postgres (on the application's DataSource). Unset: postgres when stripeflare-store-postgres
         * and a DataSource are present, else h2.
         */
        private StoreType type;

        /** The H2 database file (without .mv.db) of the h2 store; default data/stripeflare in the working directory. */
        private Path h2File = Path.of("data", "stripeflare");

        /** The schema of the postgres store on the application's DataSource (created when missing). */
        private String postgresSchema = "stripeflare";

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public Path getH2File() {
            return h2File;
        }

        public void setH2File(Path h2File) {
            this.h2File = h2File;
        }

        public String getPostgresSchema() {
            return postgresSchema;
        }

        public void setPostgresSchema(String postgresSchema) {
            this.postgresSchema = postgresSchema;
        }
    }

    /** The store kinds the auto-configuration can make. */
    public enum StoreType {
        /** {@code H2UserStore.file(h2-file)}. */
        H2,
        /** {@code InMemoryUserStore}: every balance is lost on restart. */
        MEMORY,
        /** {@code PostgresUserStore.of(dataSource, postgres-schema)}. */
        POSTGRES
    }

    /** The servlet filter's registration. */
    public static class Filter {
        /** Whether the filter is registered in a servlet web application. */
        private boolean enabled = true;

        /**
         * URL patterns the filter is mapped to. It resolves the visitor and charges X-Price on
         * every response it sees, so keep it on every path that is priced or reads the balance.
         */
        private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

        /** The filter's order: before Spring Security's chain (-100) by default. */
        private int order = -110;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }
}
