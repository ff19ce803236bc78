package dev.stripeflare.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps a response that sets a token cookie out of shared caches: its {@code Cache-Control}
 * gains {@code private} (and loses {@code public}, {@code s-maxage} and
 * {@code proxy-revalidate}) unless it already says {@code private} or {@code no-store}. A CDN
 * must never hand one user's token to another.
 */
final class PrivateCaching {
    private PrivateCaching() {
    }

    /**
     * Whether the response's {@code Cache-Control} lets shared caches keep it: {@code public}
     * or {@code s-maxage}, without {@code private} or {@code no-store}.
     */
    static boolean isSharedCacheable(HttpServletResponse response) {
        String cacheControl = response.getHeader("Cache-Control");
        if (cacheControl == null) {
            return false;
        }
        boolean shared = false;
        for (String directive : cacheControl.split(",")) {
            String name = directive.strip().toLowerCase(Locale.ROOT);
            if (name.equals("private") || name.startsWith("private=") || name.equals("no-store")) {
                return false;
            }
            shared |= name.equals("public") || name.startsWith("s-maxage");
        }
        return shared;
    }

    static void enforce(HttpServletResponse response) {
        String cacheControl = response.getHeader("Cache-Control");
        if (cacheControl == null || cacheControl.isBlank()) {
            response.setHeader("Cache-Control", "private");
            return;
        }
        List<String> kept = new ArrayList<>();
        kept.add("private");
        for (String directive : cacheControl.split(",")) {
            String d = directive.strip();
            String name = d.toLowerCase(Locale.ROOT);
            if (name.equals("private") || name.startsWith("private=") || name.equals("no-store")) {
                return;
            }
            if (!d.isEmpty() && !name.equals("public") && !name.startsWith("s-maxage")
                    && !name.equals("proxy-revalidate")) {
                kept.add(d);
            }
        }
        response.setHeader("Cache-Control", String.join(", ", kept));
    }
}
