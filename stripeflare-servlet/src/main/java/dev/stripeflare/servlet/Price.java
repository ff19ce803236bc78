package dev.stripeflare.servlet;

import java.util.OptionalLong;

/** Parses the {@code X-Price} response header: a whole number of cents, no sign, no spaces. */
final class Price {
    /** 18 digits always fit in a {@code long}. */
    private static final int MAX_DIGITS = 18;

    private Price() {
    }

    /**
     * The price in cents; empty when {@code header} is null or {@code 0} (nothing to charge).
     *
     * @throws IllegalArgumentException if the header is not a whole number of cents
     */
    static OptionalLong parse(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        String value = header.strip();
        if (value.isEmpty() || value.length() > MAX_DIGITS) {
            throw new IllegalArgumentException("X-Price must be a whole number of cents");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new IllegalArgumentException("X-Price must be a whole number of cents");
            }
        }
        long cents = Long.parseLong(value);
        return cents == 0 ? OptionalLong.empty() : OptionalLong.of(cents);
    }
}
