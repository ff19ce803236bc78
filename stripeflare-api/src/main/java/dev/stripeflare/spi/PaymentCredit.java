package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Money paid through Stripe, to be credited exactly once. See
 * {@link UserStore#credit(PaymentCredit)} for how the account is chosen.
 *
 * @param operationId      the id this credit is applied under, at most once per store (e.g.
 *                         {@code "checkout:" + checkout session id})
 * @param tokenHash        the hash of the token that paid
 * @param amountCents      strictly positive
 * @param paymentReference the payment's id at Stripe (a PaymentIntent id), which later refunds
 *                         and disputes name; null when unknown
 * @param profile          what the payment told about the payer
 * @param linkToUserId     when the token is not known yet: the existing account that the payer
 *                         proved to own (same card or verified email), which the token joins
 * @param memo             null, or a note for the ledger
 * @param at               the time to record
 */
public record PaymentCredit(
        String operationId,
        String tokenHash,
        long amountCents,
        String paymentReference,
        PaymentProfile profile,
        OptionalLong linkToUserId,
        String memo,
        Instant at) {

    public PaymentCredit {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(linkToUserId, "linkToUserId");
        Objects.requireNonNull(at, "at");
    }
}
