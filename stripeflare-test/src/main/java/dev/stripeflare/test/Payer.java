package dev.stripeflare.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Who pays a test checkout and how: the name and email Stripe's checkout collects, and either a
 * card (identified, as by Stripe, by its fingerprint: the same card number always has the same
 * one) or Link (no card fingerprint; the email is Link-verified).
 *
 * @param name            the payer's name as entered at the checkout
 * @param email           the payer's email as entered at the checkout
 * @param cardFingerprint the card's fingerprint, or empty for a Link payment
 */
public record Payer(String name, String email, Optional<String> cardFingerprint) {
    /** Ada Lovelace paying with Stripe's test card 4242 4242 4242 4242. */
    public static final Payer ADA = card("Ada Lovelace", "ada@example.com", "4242 4242 4242 4242");

    /**
     * Checks that every part is present.
     *
     * @param name            the payer's name as entered at the checkout
     * @param email           the payer's email as entered at the checkout
     * @param cardFingerprint the card's fingerprint, or empty for a Link payment
     */
    public Payer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(cardFingerprint, "cardFingerprint");
    }

    /**
     * A card payment; its fingerprint is derived from {@code cardNumber} (spaces ignored), so two
     * payments with one number are recognised as one card.
     *
     * @param name       the payer's name
     * @param email      the payer's email
     * @param cardNumber the card number, digits and spaces
     * @return the payer
     * @throws IllegalArgumentException if {@code cardNumber} is not 12 to 19 digits
     */
    public static Payer card(String name, String email, String cardNumber) {
        String digits = Objects.requireNonNull(cardNumber, "cardNumber").replace(" ", "");
        if (!digits.matches("[0-9]{12,19}")) {
            throw new IllegalArgumentException("a card number is 12 to 19 digits");
        }
        return new Payer(name, email, Optional.of(fingerprint(digits)));
    }

    /**
     * A payment through Link: no card fingerprint.
     *
     * @param name  the payer's name
     * @param email the Link-verified email
     * @return the payer
     */
    public static Payer link(String name, String email) {
        return new Payer(name, email, Optional.empty());
    }

    private static String fingerprint(String digits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(digits.getBytes(StandardCharsets.US_ASCII));
            return "fp" + HexFormat.of().formatHex(digest, 0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
