package dev.stripeflare;

/** What {@link Wallet#handleWebhookPayload} did with one Stripe event. */
public enum WebhookOutcome {
    /**
     * A payment was credited to the account the paying token opens, or to a new account (opened by
     * the token, unless the token was revoked).
     */
    CREDITED,
    /**
     * A payment was credited to the payer's existing account (found by card or verified email),
     * and the paying token was attached to it because the browser that completed the checkout had
     * already returned with it ({@link Wallet#completeCheckout}, {@link CheckoutOutcome#PENDING}).
     */
    LOGIN_BY_PAYMENT,
    /**
     * A payment from a token that opens no account was credited to the payer's existing account
     * (found by card or verified email). The token was <em>not</em> attached: it gains access only
     * when the browser that completed the checkout returns with it ({@link Wallet#completeCheckout}),
     * so a payment link sent to someone else never hands their account to the link's owner.
     */
    PAYER_IDENTIFIED,
    /**
     * A payment on the link of a revoked token (rotated away, or its account deleted) was credited
     * to the account that token used to open; the token stays revoked and opens nothing.
     */
    REVOKED_TOKEN,
    /** The event, or another event for the same payment, was already applied. Nothing changed. */
    DUPLICATE,
    /** A refund or dispute was taken back from the account that the payment had credited. */
    DEBITED,
    /** A refund or dispute arrived before the payment it reverses; it is recorded and will be
     * applied in the same step as that payment's credit. */
    DEFERRED,
    /** Acknowledged without moving money: an unpaid (asynchronous) checkout that will be
     * credited on {@code checkout.session.async_payment_succeeded}, or a failed one; a dispute
     * inquiry; a dispute closed as lost; a refund or dispute of a payment already fully taken
     * back; a failed refund or won dispute that had taken nothing (it never will). */
    ACKNOWLEDGED,
    /** Paid in a currency other than the wallet's; kept as an {@link UnclaimedPayment}, and the
     * balance did not change. (A refund or dispute in a currency its charge did not take is
     * recorded under this outcome too.) */
    CURRENCY_MISMATCH,
    /** Not for this wallet: an event type we do not handle, another Payment Link's checkout (with
     * {@code paymentLinkId} set), a reference that is not of a wallet's form (another application's),
     * a test-mode event at a live wallet, or an event of a Connect account not accepted. */
    IGNORED,
    /** Missing, malformed, stale or wrongly signed {@code Stripe-Signature}. Nothing changed. */
    REJECTED_SIGNATURE,
    /** Correctly signed but unusable content (malformed JSON, missing fields). Nothing changed. */
    REJECTED_PAYLOAD,
    /** A dependency (Stripe's API, the store) failed; nothing changed, and Stripe should retry. */
    RETRY_LATER,
    /** What a refund or dispute had taken was given back: the refund failed, or the dispute was
     * won ({@code charge.refund.updated}, {@code charge.dispute.closed}). */
    RESTORED,
    /**
     * Paid, but the payment could not be credited to any account (its {@code client_reference_id}
     * is missing or does not decrypt under the wallet's {@code DB_SECRET}s, or it is a live payment
     * at a test-mode wallet): kept as an {@link UnclaimedPayment} for an operator to assign or
     * refund ({@link Wallet#unclaimedPayments()}). No balance changed.
     */
    UNCLAIMED
}
