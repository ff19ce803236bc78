package dev.stripeflare.servlet;

import dev.stripeflare.http.JsonWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers 402 Payment Required with the way to pay: the {@code X-PaymentLink} header and a JSON
 * body {@code {"error","message","balance","paymentLink"}}. Used by {@link StripeflareFilter}
 * when an {@code X-Price} cannot be charged, and by handlers that check the balance first.
 */
public final class PaymentRequired {
    /** The HTTP status, 402. */
    public static final int STATUS = 402;

    private PaymentRequired() {
    }

    /**
     * Answers 402 for the request's own user (its {@link StripeflareSession}).
     *
     * @throws IllegalStateException if the filter did not run for {@code request}
     * @throws IOException           if writing the response fails
     * @param request  the request the filter ran for
     * @param response its response
     */
    public static void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StripeflareSession session = StripeflareSession.of(request);
        send(response, session.paymentLink(), session.balanceCents(),
                session.registered() ? "Balance too low" : "Top up to use this");
    }

    /**
     * Answers 402 with {@code paymentLink}, the balance and a short message. Replaces nothing the
     * response already holds except its status and body.
     *
     * @throws IOException if writing the response fails
     * @param response     the response
     * @param paymentLink  the Payment Link to top up through
     * @param balanceCents the balance to show, in cents
     * @param message      a short message for the user
     */
    public static void send(HttpServletResponse response, String paymentLink, long balanceCents, String message)
            throws IOException {
        Objects.requireNonNull(paymentLink, "paymentLink");
        Objects.requireNonNull(message, "message");
        response.setHeader(StripeflareFilter.PAYMENT_LINK_HEADER, paymentLink);
        Answers.json(response, STATUS, new JsonWriter()
                .field("error", "Payment required")
                .field("message", message)
                .field("balance", balanceCents)
                .field("paymentLink", paymentLink)
                .end());
    }

    /**
     * Answers 402 without a payment link: for a session whose token the client does not hold,
     * where a link would send a payment to a token nobody has.
     */
    static void sendWithoutLink(HttpServletResponse response, long balanceCents, String message) throws IOException {
        Answers.json(response, STATUS, new JsonWriter()
                .field("error", "Payment required")
                .field("message", message)
                .field("balance", balanceCents)
                .field("paymentLink", Optional.empty())
                .end());
    }
}
