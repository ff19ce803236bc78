package dev.stripeflare.store.postgres;

import java.util.regex.Pattern;

/** Removes passwords from JDBC URLs and messages before they reach a log or an exception. Stateless. */
final class Redaction {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private Redaction() {
    }

    /** The URL with any {@code password=} parameter and {@code user:password@} part masked. */
    static String url(String jdbcUrl) {
        String masked = URL_PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }

    /** {@code message} with every occurrence of {@code password} (when set) masked. */
    static String message(String message, String password) {
        String out = message == null ? "" : message;
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, "***");
        }
        return url(out);
    }
}
