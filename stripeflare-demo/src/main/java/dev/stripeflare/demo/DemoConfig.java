package dev.stripeflare.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the demo runs, from {@code --name=value} arguments first, then environment variables.
 *
 * @param host       the interface to listen on ({@code --host}, {@code HOST}; default
 *                   {@code 127.0.0.1}: the demo is for this machine)
 * @param port       the port ({@code --port}, {@code PORT}; default 8080; 0 picks a free one)
 * @param dataDir    where the H2 store keeps its files ({@code --data}, {@code DATA_DIR}; default
 *                   {@code data})
 * @param stripeKeys the real Stripe settings, or empty for test mode
 * @param devCookies whether the cookie leaves off {@code Secure}/{@code Domain}
 *                   ({@code DEV_COOKIES}; default: on in test mode, off with real keys)
 */
record DemoConfig(String host, int port, Path dataDir, Optional<StripeKeys> stripeKeys, boolean devCookies) {

    static final List<String> KEY_VARIABLES =
            List.of("STRIPE_SECRET", "STRIPE_WEBHOOK_SIGNING_SECRET", "STRIPE_PAYMENT_LINK", "DB_SECRET");

    DemoConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(stripeKeys, "stripeKeys");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /** Real Stripe settings, all four present (the values are secrets: never printed). */
    record StripeKeys(String secretKey, String webhookSigningSecret, String paymentLink, String dbSecret) {
        @Override
        public String toString() {
            return "StripeKeys[<redacted>]";
        }
    }

    boolean testMode() {
        return stripeKeys.isEmpty();
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming each malformed argument, or the Stripe variables
     *                                  missing when only some are set
     */
    static DemoConfig from(String[] args, Map<String, String> env) {
        String host = option(args, "host").or(() -> nonBlank(env.get("HOST"))).orElse("127.0.0.1");
        String portText = option(args, "port").or(() -> nonBlank(env.get("PORT"))).orElse("8080");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number, was " + portText);
        }
        Path data = Path.of(option(args, "data").or(() -> nonBlank(env.get("DATA_DIR"))).orElse("data"));
        List<String> missing = new ArrayList<>();
        for (String name : KEY_VARIABLES) {
            if (nonBlank(env.get(name)).isEmpty()) {
                missing.add(name);
            }
        }
        Optional<StripeKeys> keys;
        if (missing.size() == KEY_VARIABLES.size()) {
            keys = Optional.empty();
        } else if (missing.isEmpty()) {
            keys = Optional.of(new StripeKeys(env.get("STRIPE_SECRET"), env.get("STRIPE_WEBHOOK_SIGNING_SECRET"),
                    env.get("STRIPE_PAYMENT_LINK"), env.get("DB_SECRET")));
        } else {
            throw new IllegalArgumentException("set all four Stripe variables or none (none means test mode); missing: "
                    + String.join(", ", missing));
        }
        boolean devCookies = nonBlank(env.get("DEV_COOKIES")).map(Boolean::parseBoolean).orElse(keys.isEmpty());
        return new DemoConfig(host, port, data, keys, devCookies);
    }

    private static Optional<String> option(String[] args, String name) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return nonBlank(arg.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
