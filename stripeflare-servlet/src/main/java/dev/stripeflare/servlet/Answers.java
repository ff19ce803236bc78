package dev.stripeflare.servlet;

import dev.stripeflare.http.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the filter's own short JSON answers. Never a stack trace, never a token. */
final class Answers {
    private Answers() {
    }

    /** Answers {@code status} with the JSON {@code body}, uncacheable. */
    static void json(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Answers {@code status} with {@code {"error": message}}. */
    static void error(HttpServletResponse response, int status, String message) throws IOException {
        json(response, status, new JsonWriter().field("error", message).end());
    }

    /** Answers 405 with the one method the endpoint accepts in {@code Allow}. */
    static void methodNotAllowed(HttpServletResponse response, String allowed) throws IOException {
        response.setHeader("Allow", allowed);
        error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Method not allowed; use " + allowed);
    }
}
