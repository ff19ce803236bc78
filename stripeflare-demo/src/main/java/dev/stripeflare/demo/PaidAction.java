package dev.stripeflare.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /api/paid}: the paid action. It only names its price ({@code X-Price: 1}); the
 * filter charges it after this returns and answers 402 instead when the balance is too low.
 */
final class PaidAction extends HttpServlet {
    static final String PATH = "/api/paid";
    static final long PRICE_CENTS = 1;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Price", Long.toString(PRICE_CENTS));
        response.setContentType("application/json;charset=utf-8");
        response.getWriter().write("{\"result\":\"You bought one cent's worth of nothing. Well spent.\"}");
    }
}
