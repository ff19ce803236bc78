package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed instants and terse factories for the values a store takes, for store tests. Tokens are
 * plain strings here and hashed with {@link TokenHashes}; a credit's payment reference is
 * {@code "pi_" + operationId}. A checkout credited by {@link #checkoutCredit} may be claimed for
 * {@link #CLAIM_WINDOW} after it was paid, and a {@link #claim} waits as long for its credit.
 */
public final class StoreFixtures {

    /** The instant every fixture happens at unless told otherwise. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** How long a checkout stays claimable, and a pending claim waits, in these fixtures. */
    public static final Duration CLAIM_WINDOW = Duration.ofMinutes(30);

    private StoreFixtures() {
    }

    /**
     * {@link #T0} plus {@code seconds}.
     *
     * @param seconds seconds after {@link #T0}
     * @return the instant
     */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /**
     * The payment reference {@link #credit} gives the credit {@code operationId}.
     *
     * @param operationId the operation id
     * @return the payment reference
     */
    public static String paymentReferenceOf(String operationId) {
        return "pi_" + operationId;
    }

    /**
     * A credit of {@code cents} to {@code token} at T0, paid with the card {@link #cardOf
     * cardOf(token)}, so that {@link #link} can later identify the account it creates.
     *
     * @param operationId the operation id
     * @param token       the token (the store sees its hash)
     * @param cents       the amount, in cents
     * @return the credit
     */
    public static PaymentCredit credit(String operationId, String token, long cents) {
        return credit(operationId, token, cents, card(cardOf(token)), T0);
    }

    /**
     * The card fingerprint {@link #credit(String, String, long)} pays {@code token}'s credits with.
     *
     * @param token the token (the store sees its hash)
     * @return the card fingerprint
     */
    public static String cardOf(String token) {
        return "card-" + token;
    }

    /**
     * A credit of {@code cents} to {@code token} with {@code profile}, at {@code at}.
     *
     * @param operationId the operation id
     * @param token       the token (the store sees its hash)
     * @param cents       the amount, in cents
     * @param profile     the payer's profile
     * @param at          the time to record
     * @return the credit
     */
    public static PaymentCredit credit(String operationId, String token, long cents,
                                       PaymentProfile profile, Instant at) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), profile, null, null, null, at);
    }

    /**
     * A credit of {@code cents} paid on {@code token}'s link through checkout {@code checkoutId},
     * claimable for {@link #CLAIM_WINDOW} after {@code at}; payment reference
     * {@code "pi_" + operationId}.
     *
     * @param operationId the operation id
     * @param token       the token (the store sees its hash)
     * @param cents       the amount, in cents
     * @param profile     the payer's profile
     * @param checkoutId  the checkout session id
     * @param at          the time to record
     * @return the credit
     */
    public static PaymentCredit checkoutCredit(String operationId, String token, long cents,
                                               PaymentProfile profile, String checkoutId, Instant at) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), profile, checkoutId, at.plus(CLAIM_WINDOW), null, at);
    }

    /**
     * A claim of {@code checkoutId} by the browser holding {@code token}, at {@code at}.
     *
     * @param checkoutId the checkout session id
     * @param token      the token (the store sees its hash)
     * @param at         the time to record
     * @return the claim
     */
    public static CheckoutClaim claim(String checkoutId, String token, Instant at) {
        return new CheckoutClaim(checkoutId, TokenHashes.of(token), at, at.plus(CLAIM_WINDOW));
    }

    /**
     * A profile that knows only a card fingerprint.
     *
     * @param cardFingerprint the card's fingerprint
     * @return a profile with only the card
     */
    public static PaymentProfile card(String cardFingerprint) {
        return new PaymentProfile(null, null, null, cardFingerprint);
    }

    /**
     * A profile that knows only a verified email.
     *
     * @param verifiedEmail the verified email
     * @return a profile with only the email
     */
    public static PaymentProfile verifiedEmail(String verifiedEmail) {
        return new PaymentProfile(null, null, verifiedEmail, null);
    }

    /**
     * Login by payment, as the wallet drives it: the browser holding {@code token} claims the
     * checkout {@code operationId} first, then a payment with the card of account
     * {@code userId} (or an unknown card, when there is no such account) is credited under
     * that checkout, so {@code token} joins the account ({@code LINKED}).
     *
     * @param store       the store
     * @param operationId the operation id
     * @param token       the token (the store sees its hash)
     * @param cents       the amount, in cents
     * @param userId      the account's id
     * @return what the credit did
     */
    public static CreditResult link(UserStore store, String operationId, String token, long cents, long userId) {
        String card = store.findById(userId).map(UserRecord::cardFingerprint).orElse("card-of-no-account");
        store.claimCheckout(new CheckoutClaim(operationId, TokenHashes.of(token), T0, T0.plusSeconds(3_600)));
        return store.credit(new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), card(card),
                operationId, T0.plusSeconds(3_600), null, T0));
    }

    /**
     * A debit of {@code cents} that may not overdraw, without key or memo, at T0.
     *
     * @param token the token (the store sees its hash)
     * @param cents the amount, in cents
     * @return the debit
     */
    public static Debit debit(String token, long cents) {
        return new Debit(TokenHashes.of(token), cents, false, null, null, T0);
    }

    /**
     * A debit of {@code cents} that may not overdraw, under {@code idempotencyKey}, at T0.
     *
     * @param token          the token (the store sees its hash)
     * @param cents          the amount, in cents
     * @param idempotencyKey the idempotency key
     * @return the debit
     */
    public static Debit debit(String token, long cents, String idempotencyKey) {
        return new Debit(TokenHashes.of(token), cents, false, idempotencyKey, null, T0);
    }

    /**
     * A debit of {@code cents} that may take the balance below zero, at T0.
     *
     * @param token the token (the store sees its hash)
     * @param cents the amount, in cents
     * @return the debit, allowed below zero
     */
    public static Debit overdraft(String token, long cents) {
        return new Debit(TokenHashes.of(token), cents, true, null, null, T0);
    }

    /**
     * A refund of {@code cents} of the payment credited under {@code creditOperationId}.
     *
     * @param operationId       the operation id
     * @param creditOperationId the operation id of the credit it takes from
     * @param cents             the amount, in cents
     * @return the reversal
     */
    public static PaymentReversal refund(String operationId, String creditOperationId, long cents) {
        return new PaymentReversal(operationId, paymentReferenceOf(creditOperationId), cents,
                LedgerEntryKind.REFUND, null, T0);
    }

    /**
     * A dispute of {@code cents} of the payment credited under {@code creditOperationId}.
     *
     * @param operationId       the operation id
     * @param creditOperationId the operation id of the credit it takes from
     * @param cents             the amount, in cents
     * @return the reversal
     */
    public static PaymentReversal dispute(String operationId, String creditOperationId, long cents) {
        return new PaymentReversal(operationId, paymentReferenceOf(creditOperationId), cents,
                LedgerEntryKind.DISPUTE, null, T0);
    }

    /**
     * A refund under Adaptive Pricing: {@code amount} of the {@code paymentTotal} the payment
     * charged in its own currency.
     *
     * @param operationId       the operation id
     * @param creditOperationId the operation id of the credit it takes from
     * @param amount            the amount, in the payment's currency
     * @param paymentTotal      the payment's total, in that currency
     * @return the reversal
     */
    public static PaymentReversal adaptiveRefund(String operationId, String creditOperationId,
                                                 long amount, long paymentTotal) {
        return new PaymentReversal(operationId, paymentReferenceOf(creditOperationId), amount,
                paymentTotal, LedgerEntryKind.REFUND, null, T0);
    }

    /**
     * A dispute the merchant won, giving back what the reversal {@code reversalOperationId} took.
     *
     * @param operationId         the operation id
     * @param reversalOperationId the operation id of the reversal it gives back
     * @return the restoration
     */
    public static PaymentRestoration disputeWon(String operationId, String reversalOperationId) {
        return new PaymentRestoration(operationId, reversalOperationId, LedgerEntryKind.DISPUTE_WON, null, T0);
    }

    /**
     * A refund that failed, giving back what the reversal {@code reversalOperationId} took.
     *
     * @param operationId         the operation id
     * @param reversalOperationId the operation id of the reversal it gives back
     * @return the restoration
     */
    public static PaymentRestoration refundFailed(String operationId, String reversalOperationId) {
        return new PaymentRestoration(operationId, reversalOperationId, LedgerEntryKind.REFUND_FAILED, null, T0);
    }
}
