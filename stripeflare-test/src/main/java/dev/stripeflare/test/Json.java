package dev.stripeflare.test;

import dev.stripeflare.http.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stripe-shaped JSON templates on the class path, whose {@code {{NAME}}} placeholders take JSON
 * values (a string placeholder takes {@link #string} of it), and the one escaping they need.
 */
final class Json {
    private Json() {
    }

    /** {@code value} as a JSON string literal, or {@code null}. */
    static String string(String value) {
        return JsonWriter.string(value);
    }

    /**
     * The template {@code name} with every placeholder filled.
     *
     * @throws IllegalArgumentException if a placeholder is left over (a template that drifted)
     */
    static String render(String name, Map<String, String> values) {
        String text = read(name);
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        int left = text.indexOf("{{");
        if (left >= 0) {
            throw new IllegalArgumentException(name + " still has a placeholder: "
                    + text.substring(left, Math.min(text.length(), left + 40)));
        }
        return text;
    }

    private static String read(String name) {
        try (InputStream in = Json.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no template " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
