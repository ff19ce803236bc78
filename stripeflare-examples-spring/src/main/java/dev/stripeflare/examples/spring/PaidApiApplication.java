package dev.stripeflare.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot application with one paid endpoint ({@link FortuneController}), on
 * stripeflare-spring-boot-starter: the wallet, its store, the filter, health and metrics are all
 * auto-configured from the four {@code stripeflare.*} secrets (e.g. the environment variables
 * {@code STRIPEFLARE_DB_SECRET}, {@code STRIPEFLARE_WEBHOOK_SIGNING_SECRET},
 * {@code STRIPEFLARE_STRIPE_SECRET_KEY}, {@code STRIPEFLARE_PAYMENT_LINK}).
 */
@SpringBootApplication
public class PaidApiApplication {

    /** Starts the application; a missing or malformed secret stops it with a message naming the property. */
    public static void main(String[] args) {
        SpringApplication.run(PaidApiApplication.class, args);
    }
}
