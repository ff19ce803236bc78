package dev.stripeflare.demo;

import dev.stripeflare.test.Payer;
import dev.stripeflare.test.SignedEvent;
import dev.stripeflare.test.StripeTestKit;
import dev.stripeflare.test.TestPayment;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Test mode's stand-in for Stripe's hosted checkout. {@code GET} shows a payment form for the
 * {@code client_reference_id} the Payment Link carried; {@code POST} "pays" through the test kit
 * ({@link StripeTestKit#pay}, so its local Stripe API knows the card), has it sign the
 * {@code checkout.session.completed} event with the demo's own {@code whsec_} secret, and
 * delivers that to the server's own {@code /stripe-webhook}, exactly as Stripe would. On a 2xx answer it sends the browser where a
 * Payment Link's after-completion redirect would, {@code /checkout-return?session_id=cs_…}
 * (the filter's endpoint, which logs a second device in); otherwise it shows what the webhook
 * answered.
 */
final class SimulatedCheckout extends HttpServlet {
    static final String PATH = "/simulated-checkout";
    private static final Set<Long> AMOUNTS = Set.of(100L, 500L, 2000L);
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final Pattern CARD = Pattern.compile("[0-9 ]{12,23}");

    private final transient StripeTestKit stripe;
    private final URI webhook;
    private final String returnUrl;
    private final String checkoutReturnUrl;
    private final transient HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param returnUrl         the demo page
     * @param checkoutReturnUrl the after-completion redirect, without its query:
     *                          {@code ?session_id=<checkout session id>} is appended
     */
    SimulatedCheckout(StripeTestKit stripe, URI webhook, String returnUrl, String checkoutReturnUrl) {
        this.stripe = stripe;
        this.webhook = webhook;
        this.returnUrl = returnUrl;
        this.checkoutReturnUrl = checkoutReturnUrl;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String reference = request.getParameter("client_reference_id");
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            page(response, 400, "<p class=\"error\">This checkout link has no valid <code>client_reference_id</code>."
                    + " Start from the <a href=\"" + Text.html(returnUrl) + "\">demo page</a>.</p>");
            return;
        }
        page(response, 200, """
                <form method="post" action="%s">
                  <input type="hidden" name="client_reference_id" value="%s">
                  <label>Amount
                    <select name="amount" id="amount">
                      <option value="100">$1.00</option>
                      <option value="500" selected>$5.00</option>
                      <option value="2000">$20.00</option>
                    </select></label>
                  <label>Name <input name="name" id="name" value="Ada Lovelace" maxlength="100" required></label>
                  <label>Email <input name="email" id="email" type="email" value="ada@example.com" maxlength="200" required></label>
                  <label>Card number <input name="card" id="card" value="4242 4242 4242 4242" maxlength="23" required></label>
                  <p class="hint">Paying again later with the same card number logs that browser into this
                  account (login by payment).</p>
                  <button type="submit" id="pay">Pay (simulated)</button>
                </form>""".formatted(PATH, Text.html(reference)));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String reference = request.getParameter("client_reference_id");
        String name = request.getParameter("name");
        String email = request.getParameter("email");
        String card = request.getParameter("card");
        long amount = parseAmount(request.getParameter("amount"));
        if (reference == null || !REFERENCE.matcher(reference).matches() || name == null || name.isBlank()
                || name.length() > 100 || email == null || !email.contains("@") || email.length() > 200
                || card == null || !CARD.matcher(card).matches() || !AMOUNTS.contains(amount)) {
            invalid(response);
            return;
        }
        Payer payer;
        try {
            payer = Payer.card(name.strip(), email.strip(), card);
        } catch (IllegalArgumentException notACardNumber) {
            invalid(response);
            return;
        }
        TestPayment payment = stripe.pay(reference, amount, payer);
        SignedEvent event = stripe.checkoutCompleted(payment);
        HttpResponse<String> answer;
        try {
            answer = client.send(HttpRequest.newBuilder(webhook)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", event.signature())
                    .POST(HttpRequest.BodyPublishers.ofString(event.payload(), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            page(response, 503, "<p class=\"error\">Interrupted while delivering the webhook.</p>");
            return;
        }
        if (answer.statusCode() / 100 == 2) {
            // As Stripe does: {CHECKOUT_SESSION_ID} in the after-completion redirect becomes the id.
            response.sendRedirect(checkoutReturnUrl + "?session_id=" + payment.checkoutSessionId());
            return;
        }
        page(response, 502, "<p class=\"error\" id=\"webhook-error\">The wallet did not accept the simulated payment:"
                + " <code>/stripe-webhook</code> answered " + answer.statusCode() + " <code>"
                + Text.html(answer.body()) + "</code></p><p><a href=\"" + Text.html(returnUrl) + "\">Back to the demo</a></p>");
    }

    private static void invalid(HttpServletResponse response) throws IOException {
        page(response, 400, "<p class=\"error\">Please fill in every field (amount $1, $5 or $20; a card number"
                + " of digits).</p><p><a href=\"javascript:history.back()\">Back</a></p>");
    }

    private static long parseAmount(String amount) {
        try {
            return amount == null ? -1 : Long.parseLong(amount);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void page(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.getWriter().write("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Simulated checkout — TEST MODE</title>
                <style>
                  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }
                  .banner { background: #ffd43b; padding: .6rem 1rem; border-radius: .4rem; font-weight: 700; }
                  label { display: block; margin: .8rem 0; }
                  input, select { display: block; width: 100%%; padding: .4rem; box-sizing: border-box; }
                  button { background: #635bff; color: white; border: 0; padding: .7rem 1.4rem; border-radius: .4rem; font-size: 1rem; }
                  .hint { color: #555; font-size: .9rem; } .error { color: #b00020; }
                </style></head>
                <body>
                <p class="banner" id="mode-banner">TEST MODE — simulated Stripe checkout. No real money moves.</p>
                <h1>Top up your wallet</h1>
                %s
                </body></html>
                """.formatted(body));
    }
}
