package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.time.Instant;

/**
 * Fixed instants and terse factories for the values a store takes, for store tests. Tokens are
 * plain strings here and hashed with {@link TokenHashes}; a credit's payment reference is
 * {@code "pi_" + operationId}.
 */
public final class StoreFixtures {

    /** The instant every fixture happens at unless told otherwise. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private StoreFixtures() {
    }

    /** {@link #T0} plus {@code seconds}. */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** The payment reference {@link #credit} gives the credit {@code operationId}. */
    public static String paymentReferenceOf(String operationId) {
        return "pi_" + operationId;
    }

    /**
     * A credit of {@code cents} to {@code token} at T0, paid with the card {@link #cardOf
     * cardOf(token)}, so that {@link #link} can later identify the account it creates.
     */
    public static PaymentCredit credit(String operationId, String token, long cents) {
        return credit(operationId, token, cents, new PaymentProfile(null, null, null, cardOf(token)), T0);
    }

    /** The card fingerprint {@link #credit(String, String, long)} pays {@code token}'s credits with. */
    public static String cardOf(String token) {
        return "card-" + token;
    }

    /** A credit of {@code cents} to {@code token} with {@code profile}, at {@code at}. */
    public static PaymentCredit credit(String operationId, String token, long cents,
                                       PaymentProfile profile, Instant at) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), profile, null, null, null, at);
    }

    /**
     * Login by payment, as the wallet drives it: the browser holding {@code token} claims the
     * checkout {@code operationId} first, then a payment with the card of account
     * {@code userId} (or an unknown card, when there is no such account) is credited under
     * that checkout, so {@code token} joins the account ({@code LINKED}).
     */
    public static CreditResult link(UserStore store, String operationId, String token, long cents, long userId) {
        String card = store.findById(userId).map(UserRecord::cardFingerprint).orElse("card-of-no-account");
        store.claimCheckout(new CheckoutClaim(operationId, TokenHashes.of(token), T0, T0.plusSeconds(3_600)));
        return store.credit(new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), new PaymentProfile(null, null, null, card),
                operationId, T0.plusSeconds(3_600), null, T0));
    }

    /** A debit of {@code cents} that may not overdraw, without key or memo, at T0. */
    public static Debit debit(String token, long cents) {
        return new Debit(TokenHashes.of(token), cents, false, null, null, T0);
    }

    /** A debit of {@code cents} that may not overdraw, under {@code idempotencyKey}, at T0. */
    public static Debit debit(String token, long cents, String idempotencyKey) {
        return new Debit(TokenHashes.of(token), cents, false, idempotencyKey, null, T0);
    }

    /** A debit of {@code cents} that may take the balance below zero, at T0. */
    public static Debit overdraft(String token, long cents) {
        return new Debit(TokenHashes.of(token), cents, true, null, null, T0);
    }

    /** A refund of {@code cents} of the payment credited under {@code creditOperationId}. */
    public static PaymentReversal refund(String operationId, String creditOperationId, long cents) {
        return new PaymentReversal(operationId, paymentReferenceOf(creditOperationId), cents,
                LedgerEntryKind.REFUND, null, T0);
    }

    /** A dispute of {@code cents} of the payment credited under {@code creditOperationId}. */
    public static PaymentReversal dispute(String operationId, String creditOperationId, long cents) {
        return new PaymentReversal(operationId, paymentReferenceOf(creditOperationId), cents,
                LedgerEntryKind.DISPUTE, null, T0);
    }
}
