package dev.stripeflare.demo;

import java.util.Locale;

/** Escaping for the little HTML and JSON the demo writes by hand. */
final class Text {
    private Text() {
    }

    /** {@code value} safe inside HTML text and double-quoted attributes. */
    static String html(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Cents as dollars, e.g. {@code 1234 -> "$12.34"}, {@code -5 -> "-$0.05"}. */
    static String dollars(long cents) {
        String sign = cents < 0 ? "-" : "";
        long abs = Math.abs(cents);
        return String.format(Locale.ROOT, "%s$%d.%02d", sign, abs / 100, abs % 100);
    }
}
