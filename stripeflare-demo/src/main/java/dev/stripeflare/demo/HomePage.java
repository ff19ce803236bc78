package dev.stripeflare.demo;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.servlet.StripeflareSession;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /}: the demo page — balance (with its free part), name and email once registered,
 * "Top up" (the Payment Link with this browser's {@code client_reference_id}), the 1-cent paid
 * action with the new balance and how long the charge took, "Rotate token", and the account's
 * ledger: paid, granted, spent and expired lines, newest first. In test mode a visitor is told of
 * the free daily allowance its first paid action opens an account with.
 */
final class HomePage extends HttpServlet {
    /** The most ledger lines shown. */
    static final int LEDGER_LINES = 20;

    private final Wallet wallet;
    private final boolean testMode;
    private final String canonicalHost;

    /** {@code canonicalHost}: in test mode, the host the payment link returns to (cookies are per host). */
    HomePage(Wallet wallet, boolean testMode, String canonicalHost) {
        this.wallet = wallet;
        this.testMode = testMode;
        this.canonicalHost = canonicalHost;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/".equals(request.getRequestURI())) {
            response.sendError(404);
            return;
        }
        if (testMode && !canonicalHost.equals(request.getServerName())) {
            // The simulated checkout returns to localhost; a cookie set on 127.0.0.1 would be lost.
            response.sendRedirect("http://" + canonicalHost + ":" + request.getServerPort() + "/");
            return;
        }
        StripeflareSession session = StripeflareSession.of(request);
        Optional<User> user = session.user();
        String notRegistered = testMode
                ? "<p id=\"who\">Not registered yet: your first top-up creates your account. <span id=\"free-offer\">"
                        + "Before you pay, you get " + DemoServer.TEST_ALLOWANCE_CENTS + "¢ of free credit a day:"
                        + " your first paid action opens your account with it.</span></p>"
                : "<p id=\"who\">Not registered yet: your first top-up creates your account.</p>";
        String who = user.map(u -> "<p id=\"who\">"
                        + (u.name().isPresent() || u.email().isPresent()
                                ? "Signed in as <strong id=\"name\">" + Text.html(u.name().orElse("(no name)"))
                                        + "</strong> &lt;<span id=\"email\">" + Text.html(u.email().orElse(""))
                                        + "</span>&gt;"
                                : "A free account (no payment yet): top up to keep using it past today's free credit.")
                        + "</p>" + split(u))
                .orElse(notRegistered);
        String ledger = user.map(u -> ledgerTable(wallet.ledger(u.userId()))).orElse("");
        String toppedUp = checkoutMessage(request.getParameter("checkout"));
        String banner = testMode
                ? "<p class=\"banner\" id=\"mode-banner\">TEST MODE — no Stripe keys set. \"Top up\" opens a simulated"
                        + " checkout on this server, which signs and delivers a real <code>checkout.session.completed</code>"
                        + " webhook to <code>/stripe-webhook</code>. No real money moves.</p>"
                : "<p class=\"banner live\" id=\"mode-banner\">LIVE STRIPE — \"Top up\" goes to your real Payment Link.</p>";
        response.setContentType("text/html;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(PAGE.formatted(banner, toppedUp, session.balanceCents(),
                Text.dollars(session.balanceCents()), who, Text.html(session.paymentLink()), PaidAction.PRICE_CENTS,
                ledger));
    }

    /** The balance's paid and free parts, and when the free part (or its first grant) ends. */
    private static String split(User user) {
        return "<p id=\"split\">Paid: <span id=\"paid-cents\">" + Text.dollars(user.paidCents())
                + "</span> · free credit: <span id=\"granted-cents\">" + Text.dollars(user.grantedCents()) + "</span>"
                + user.nextGrantExpiry().map(at -> " (until " + Text.html(at.toString()) + ")").orElse("") + "</p>";
    }

    /** The newest {@value #LEDGER_LINES} ledger lines, newest first. */
    static String ledgerTable(List<LedgerEntry> entries) {
        StringBuilder rows = new StringBuilder();
        for (int i = entries.size() - 1; i >= Math.max(0, entries.size() - LEDGER_LINES); i--) {
            LedgerEntry entry = entries.get(i);
            rows.append("<tr class=\"ledger-line ").append(entry.kind().name()).append("\"><td>")
                    .append(Text.html(entry.at().toString())).append("</td><td class=\"what\">")
                    .append(label(entry)).append("</td><td class=\"amount\">")
                    .append(Text.dollars(entry.amountCents())).append("</td><td>")
                    .append(Text.dollars(entry.balanceAfterCents())).append("</td><td>")
                    .append(Text.html(entry.memo() == null ? "" : entry.memo())).append("</td></tr>\n");
        }
        return "<h2>Ledger</h2><table id=\"ledger\"><thead><tr><th>When (UTC)</th><th>What</th><th>Amount</th>"
                + "<th>Balance</th><th>Note</th></tr></thead><tbody>\n" + rows + "</tbody></table>";
    }

    private static String label(LedgerEntry entry) {
        return switch (entry.kind()) {
            case PAYMENT -> "paid";
            case GRANT -> "granted (free)";
            case CHARGE -> "spent";
            case GRANT_EXPIRED -> "free credit expired";
            case GRANT_VOIDED -> "free credit voided";
            case REFUND -> "refunded";
            case REFUND_FAILED -> "refund failed, given back";
            case DISPUTE -> "disputed";
            case DISPUTE_WON -> "dispute won, given back";
            case ADJUSTMENT -> "adjusted";
            case OPENING_BALANCE -> "earlier lines, summed";
            default -> Text.html(entry.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        };
    }

    /** What the return from a checkout ({@code ?checkout=<outcome>} from {@code /checkout-return}) tells. */
    private static String checkoutMessage(String outcome) {
        if (outcome == null) {
            return "";
        }
        return switch (outcome) {
            case "already_linked" -> "<p class=\"ok\" id=\"topped-up\">Payment received. Thank you!</p>";
            case "linked" -> "<p class=\"ok\" id=\"topped-up\">Payment received. This browser is now signed in to"
                    + " the account that card already paid into (login by payment).</p>";
            case "pending" -> "<p class=\"ok\" id=\"topped-up\">Payment received; Stripe is still confirming it."
                    + " Reload in a moment to see your balance.</p>";
            case "refused" -> "<p class=\"error\" id=\"topped-up\">Payment received, but this browser did not start"
                    + " that checkout, so it was not signed in. The money is in the payer's account.</p>";
            case "expired" -> "<p class=\"error\" id=\"topped-up\">Payment received, but this return came too late to"
                    + " sign this browser in. The money is in the payer's account.</p>";
            default -> "";
        };
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>stripeflare demo</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
              .banner { background: #ffd43b; padding: .6rem 1rem; border-radius: .4rem; }
              .banner.live { background: #b2f2bb; }
              .balance { font-size: 2.5rem; font-weight: 700; margin: .2rem 0; }
              button, .button { background: #635bff; color: white; border: 0; padding: .7rem 1.4rem;
                                border-radius: .4rem; font-size: 1rem; cursor: pointer; text-decoration: none;
                                display: inline-block; margin: .3rem .3rem .3rem 0; }
              button.secondary { background: #495057; }
              .ok { color: #2b8a3e; } .error { color: #b00020; } #result { min-height: 3rem; }
              #ledger { border-collapse: collapse; font-size: .85rem; width: 100%%; }
              #ledger td, #ledger th { border-bottom: 1px solid #dee2e6; padding: .2rem .4rem; text-align: left; }
              #ledger .GRANT .what, #ledger .GRANT_EXPIRED .what { color: #2b8a3e; }
            </style></head>
            <body>
            %s
            <h1>stripeflare demo</h1>
            %s
            <p>Your balance</p>
            <p class="balance"><span id="balance" data-cents="%d">%s</span></p>
            %s
            <p>
              <a class="button" id="topup" href="%s">Top up</a>
              <button id="paid" type="button">Paid action (%d¢)</button>
              <button id="rotate" class="secondary" type="button">Rotate token</button>
            </p>
            <p id="result" aria-live="polite"></p>
            %s
            <script>
              const result = document.getElementById('result');
              const balance = document.getElementById('balance');
              const dollars = cents => (cents < 0 ? '-' : '') + '$' + (Math.abs(cents) / 100).toFixed(2);
              document.getElementById('paid').addEventListener('click', async () => {
                const started = performance.now();
                const response = await fetch('/api/paid', { method: 'POST' });
                const roundTrip = (performance.now() - started).toFixed(1);
                const cents = Number(response.headers.get('X-Balance'));
                balance.dataset.cents = cents;
                balance.textContent = dollars(cents);
                if (response.status === 402) {
                  result.className = 'error';
                  result.textContent = 'Balance too low: top up first.';
                  return;
                }
                if (!response.ok) {
                  result.className = 'error';
                  result.textContent = 'The paid action failed (HTTP ' + response.status + ').';
                  return;
                }
                const timing = /stripeflare-charge;dur=([0-9.]+)/.exec(response.headers.get('Server-Timing') || '');
                const body = await response.json();
                result.className = 'ok';
                result.textContent = body.result + ' Charged ' + response.headers.get('X-Price') + '¢; new balance '
                    + dollars(cents) + '. The charge took ' + (timing ? timing[1] : '?') + ' ms on the server ('
                    + roundTrip + ' ms round trip).';
              });
              document.getElementById('rotate').addEventListener('click', async () => {
                const response = await fetch('/rotate-token', { method: 'POST' });
                if (response.ok) {
                  document.getElementById('topup').href = response.headers.get('X-PaymentLink');
                }
                result.className = response.ok ? 'ok' : 'error';
                result.textContent = response.ok
                    ? 'Token rotated: this browser\\'s cookie now holds a new token; the old one no longer works.'
                    : response.status === 401 ? 'Only registered users (who have topped up) can rotate their token.'
                    : 'Rotation failed (HTTP ' + response.status + ').';
              });
            </script>
            </body></html>
            """;
}
