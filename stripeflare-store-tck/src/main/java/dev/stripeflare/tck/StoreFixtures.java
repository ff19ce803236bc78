package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import java.time.Instant;
import java.util.OptionalLong;

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

    /** A credit of {@code cents} to {@code token} with an empty profile, no link, at T0. */
    public static PaymentCredit credit(String operationId, String token, long cents) {
        return credit(operationId, token, cents, PaymentProfile.empty(), T0);
    }

    /** A credit of {@code cents} to {@code token} with {@code profile}, at {@code at}. */
    public static PaymentCredit credit(String operationId, String token, long cents,
                                       PaymentProfile profile, Instant at) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), profile, OptionalLong.empty(), null, at);
    }

    /** A credit of {@code cents} to {@code token} that joins the account {@code linkToUserId}. */
    public static PaymentCredit linkingCredit(String operationId, String token, long cents,
                                              long linkToUserId) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents,
                paymentReferenceOf(operationId), PaymentProfile.empty(),
                OptionalLong.of(linkToUserId), null, T0);
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
