package dev.stripeflare.http;

import java.util.Optional;

/**
 * Writes one flat JSON object by hand, so neither the servlet filter nor a plain-JDK server needs
 * a JSON library. Strings are escaped
 * per RFC 8259, and {@code <}, {@code >}, {@code &}, U+2028 and U+2029 are escaped as well so the
 * output is also safe to embed in HTML. Not thread-safe; one instance per object.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(128).append('{');
    private boolean first = true;

    /** An empty object to add fields to. */
    public JsonWriter() {
    }

    /**
     * Adds a string field.
     *
     * @param name  the field's name
     * @param value its value, or null for JSON {@code null}
     * @return this writer
     */
    public JsonWriter field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(value, out);
        }
        return this;
    }

    /**
     * Adds a string field that may be absent.
     *
     * @param name  the field's name
     * @param value its value; empty writes JSON {@code null}
     * @return this writer
     */
    public JsonWriter field(String name, Optional<String> value) {
        return field(name, value.orElse(null));
    }

    /**
     * Adds a number field.
     *
     * @param name  the field's name
     * @param value its value
     * @return this writer
     */
    public JsonWriter field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    /**
     * Adds a boolean field.
     *
     * @param name  the field's name
     * @param value its value
     * @return this writer
     */
    public JsonWriter field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    /**
     * Closes the object.
     *
     * @return the JSON text; the writer must not be used after
     */
    public String end() {
        return out.append('}').toString();
    }

    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name, out);
        out.append(':');
    }

    /**
     * {@code value} as a JSON string literal, quotes included, escaped as this writer escapes.
     *
     * @param value the text, or null
     * @return the literal, or {@code null} for null
     */
    public static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder literal = new StringBuilder(value.length() + 2);
        quote(value, literal);
        return literal.toString();
    }

    private static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
