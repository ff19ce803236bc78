package dev.stripeflare.spring.autoconfigure;

import dev.stripeflare.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link ConfigurationException} thrown while the wallet is built into Spring Boot's
 * "APPLICATION FAILED TO START" report: the description names the {@code stripeflare.*} property
 * behind each problem, and the action says what each one must be. Secrets are never printed (the
 * wallet's messages carry none).
 */
public class StripeflareFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {
    /** The builder's setting name (first word of a problem) and the property that sets it. */
    private static final Map<String, String> PROPERTIES = Map.ofEntries(
            Map.entry("dbSecret", "stripeflare.db-secret"),
            Map.entry("webhookSigningSecret", "stripeflare.webhook-signing-secret"),
            Map.entry("stripeSecretKey", "stripeflare.stripe-secret-key"),
            Map.entry("paymentLink", "stripeflare.payment-link"),
            Map.entry("paymentLinkId", "stripeflare.payment-link-id"),
            Map.entry("currency", "stripeflare.currency"),
            Map.entry("webhookTolerance", "stripeflare.webhook-tolerance"),
            Map.entry("stripeApiTimeout", "stripeflare.stripe-api-timeout"),
            Map.entry("stripeApiBase", "stripeflare.stripe-api-base"));
    /** What each of the four required properties must be. */
    private static final Map<String, String> REQUIRED = Map.of(
            "stripeflare.db-secret", "at least 32 random characters, the same on every instance",
            "stripeflare.webhook-signing-secret", "the signing secret (whsec_...) of your Stripe webhook endpoint",
            "stripeflare.stripe-secret-key", "your Stripe secret key (sk_...) or a restricted key (rk_...)",
            "stripeflare.payment-link", "your Stripe Payment Link (https://buy.stripe.com/...)");
    /** {@code name (ENV_VAR) rest} or {@code name rest}. */
    private static final Pattern PROBLEM = Pattern.compile("(\\w+)(?: \\([A-Z_]+\\))? (.*)", Pattern.DOTALL);
    private static final Pattern PREVIOUS_SECRET = Pattern.compile("previous dbSecret #(\\d+) (.*)", Pattern.DOTALL);

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        Set<String> properties = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>();
        for (String problem : cause.problems()) {
            Matcher previous = PREVIOUS_SECRET.matcher(problem);
            Matcher named = PROBLEM.matcher(problem);
            if (previous.matches()) {
                String property = "stripeflare.previous-db-secrets[" + (Integer.parseInt(previous.group(1)) - 1) + "]";
                properties.add(property);
                lines.add(property + " " + previous.group(2));
            } else if (named.matches() && PROPERTIES.containsKey(named.group(1))) {
                String property = PROPERTIES.get(named.group(1));
                properties.add(property);
                lines.add(property + " " + named.group(2));
            } else {
                lines.add(problem);
            }
        }
        StringBuilder description = new StringBuilder("The stripeflare wallet could not be built from the "
                + "stripeflare.* properties:\n");
        for (String line : lines) {
            description.append("\n    ").append(line);
        }
        StringBuilder action = new StringBuilder("Set ");
        action.append(properties.isEmpty() ? "the stripeflare.* properties named above"
                : String.join(", ", properties));
        action.append(" in application.properties or the environment (e.g. STRIPEFLARE_DB_SECRET).");
        for (String property : properties) {
            String what = REQUIRED.get(property);
            if (what != null) {
                action.append("\n    ").append(property).append(": ").append(what);
            }
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
