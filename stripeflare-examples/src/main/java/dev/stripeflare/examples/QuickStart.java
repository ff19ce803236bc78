package dev.stripeflare.examples;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.test.Payer;
import dev.stripeflare.test.StripeTestKit;
import dev.stripeflare.test.TestPayment;
import java.io.PrintStream;

/**
 * The whole loop in one process: a visitor gets a token, pays through a Payment Link (Stripe's
 * signed webhook is built and signed here, exactly as Stripe would send it), is charged, logs in
 * on a second device by paying with the same card and returning from the checkout
 * ({@link Wallet#completeCheckout}), sees that a payment link sent to someone else hands its
 * owner nothing, rotates a token, and reads the ledger.
 *
 * <p>Stripe is played by the test kit ({@link StripeTestKit}): it signs the events and answers the
 * API call login-by-payment makes for the card fingerprint on a local port of 127.0.0.1.
 */
public final class QuickStart {
    private final Wallet wallet;
    private final StripeTestKit stripe;
    private final PrintStream out;
    private TestPayment lastPayment;

    private QuickStart(Wallet wallet, StripeTestKit stripe, PrintStream out) {
        this.wallet = wallet;
        this.stripe = stripe;
        this.out = out;
    }

    /**
     * Runs the story on an H2 file store in the folder given as argument, or in a new temporary
     * folder; or, given {@code --jdbc-url=jdbc:postgresql://…} (or {@code DATABASE_URL}), on
     * PostgreSQL in schema {@code --db-schema=} (or {@code DATABASE_SCHEMA}, else a new one).
     */
    public static void main(String[] args) throws Exception {
        StoreChoice choice;
        try {
            choice = StoreChoice.from(args, System.getenv()).withFolder();
        } catch (IllegalArgumentException e) {
            System.err.println("stripeflare quickstart: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(choice.describe() + "\n");
        run(choice.open(), System.out);
    }

    /** Runs the whole story against {@code store}, printing to {@code out}; closes the store. */
    static void run(UserStore store, PrintStream out) {
        try (StripeTestKit stripe = StripeTestKit.start();
             Wallet wallet = stripe.walletBuilder(store).loginByPayment(true).build()) {
            new QuickStart(wallet, stripe, out).run();
        }
    }

    private void run() {
        out.println("1. A visitor arrives on their laptop. Nothing is stored yet.");
        Session laptop = wallet.session(null);
        out.println("   token minted: " + redact(laptop.accessToken()) + "  registered: " + laptop.registered());
        out.println("   top-up link:  " + laptop.paymentLink().substring(0, 80) + "…");

        out.println("\n2. They pay $5.00 through the Payment Link; Stripe calls the webhook.");
        String event = paidCheckout(laptop, 500, "ada@example.com", "Ada Lovelace");
        show(deliver(event));
        out.println("   Stripe retries the same delivery:");
        show(deliver(event));
        out.println("   Stripe redirects the laptop's browser back with its checkout id; the card is now");
        out.println("   known to be Ada's (a payment through someone else's link would not be):");
        show(wallet.completeCheckout(laptop.accessToken(), lastCheckoutSessionId()));
        balance("laptop", laptop.accessToken());

        out.println("\n3. The application charges 25 cents per request.");
        for (int request = 1; request <= 3; request++) {
            show(wallet.charge(ChargeRequest.of(laptop.accessToken(), 25)
                    .withIdempotencyKey("request-" + request).withMemo("GET /report/" + request)));
        }
        out.println("   request-3 is retried after a timeout (same idempotency key):");
        show(wallet.charge(ChargeRequest.of(laptop.accessToken(), 25).withIdempotencyKey("request-3")));

        out.println("\n4. On their phone they are a new visitor, and pay $2.00 with the same card.");
        Session phone = wallet.session(null);
        show(deliver(paidCheckout(phone, 200, "ada@example.com", "Ada Lovelace")));
        out.println("   The money is in Ada's account, but the phone's token does not open it yet:");
        balance("phone ", phone.accessToken());
        out.println("   Stripe redirects the phone's browser to /checkout-return?session_id=" + lastCheckoutSessionId()
                + ";");
        out.println("   the application presents it with the phone's cookie:");
        show(wallet.completeCheckout(phone.accessToken(), lastCheckoutSessionId()));
        out.println("   Login by payment: both devices now open one account.");
        balance("laptop", laptop.accessToken());
        balance("phone ", phone.accessToken());

        out.println("\n5. Someone sends Ada the payment link of their own fresh token; she pays $1.00 with her card.");
        Session stranger = wallet.session(null);
        show(deliver(paidCheckout(stranger, 100, "ada@example.com", "Ada Lovelace")));
        out.println("   The stranger never sees Ada's redirect; with their own cookie they get nothing:");
        out.println("   stranger's token opens an account: " + wallet.lookupUser(stranger.accessToken()).isPresent());
        balance("phone ", phone.accessToken());

        out.println("\n6. The laptop rotates its token; the phone keeps working.");
        String rotated = wallet.rotateToken(laptop.accessToken());
        out.println("   old laptop token resolves: " + wallet.lookupUser(laptop.accessToken()).isPresent());
        balance("laptop", rotated);
        balance("phone ", phone.accessToken());

        out.println("\n7. A charge above the balance is declined and changes nothing.");
        show(wallet.charge(phone.accessToken(), 10_000));

        out.println("\n8. The ledger: every balance change, oldest first (balance == sum of amounts).");
        long sum = 0;
        for (LedgerEntry entry : wallet.ledger(phone.accessToken())) {
            sum += entry.amountCents();
            out.printf("   %-8s %+6d  balance %5d  %s%n", entry.kind(), entry.amountCents(),
                    entry.balanceAfterCents(), entry.memo() != null ? entry.memo() : entry.operationId());
        }
        out.println("   sum of ledger: " + sum + ", balance: " + wallet.lookupUser(phone.accessToken())
                .map(User::balanceCents).orElseThrow());
    }

    /** A {@code checkout.session.completed} event for a card payment, as Stripe would send it. */
    private String paidCheckout(Session payer, long amountCents, String email, String name) {
        lastPayment = stripe.pay(payer.clientReferenceId(), amountCents,
                Payer.card(name, email, "4242 4242 4242 4242"));
        return stripe.checkoutCompleted(lastPayment).payload();
    }

    /** The checkout session id of the latest payment, as Stripe puts it in the after-completion redirect. */
    private String lastCheckoutSessionId() {
        return lastPayment.checkoutSessionId();
    }

    private WebhookResult deliver(String payload) {
        return wallet.handleWebhookPayload(payload, stripe.signatureHeader(payload));
    }

    private void show(WebhookResult result) {
        out.println("   webhook → HTTP " + result.httpStatus() + " " + result.outcome() + " (" + result.message() + ")");
    }

    private void show(CheckoutResult result) {
        out.println("   return  → " + result.outcome() + ", balance "
                + result.user().map(User::balanceCents).orElse(0L) + " cents");
    }

    private void show(ChargeResult result) {
        out.println("   charge  → " + result.outcome() + ", balance " + result.balanceCents() + " cents");
    }

    private void balance(String device, String token) {
        out.println("   " + device + " balance: " + wallet.lookupUser(token).map(User::balanceCents).orElse(0L)
                + " cents");
    }

    private static String redact(String token) {
        return token.substring(0, 7) + "…";
    }
}
