package dev.stripeflare.spi;

import dev.stripeflare.InvalidAmountException;
import java.time.Instant;
import java.util.Objects;

/**
 * Money paid through Stripe, to be credited exactly once. See
 * {@link UserStore#credit(PaymentCredit)} for how the account is chosen and when the paying
 * token gains access to it.
 *
 * @param operationId      the id this credit is applied under, at most once per store (e.g.
 *                         {@code "checkout:" + checkout session id})
 * @param tokenHash        the hash of the token whose payment link was paid (the token inside
 *                         {@code client_reference_id}); it is <em>not</em> proof that the payer
 *                         holds that token
 * @param amountCents      strictly positive
 * @param paymentReference the payment's id at Stripe (a PaymentIntent id), which later refunds
 *                         and disputes name; null when unknown
 * @param profile          what the payment told about the payer; its verified email and card
 *                         fingerprint identify the payer's existing account, if any
 * @param checkoutId       the checkout session id that the payer's browser can present to
 *                         {@link UserStore#claimCheckout} to gain access, or null when there is
 *                         none
 * @param claimableUntil   until when that browser may claim the checkout; null when
 *                         {@code checkoutId} is null
 * @param memo             null, or a note for the ledger
 * @param at               the time to record
 */
public record PaymentCredit(
        String operationId,
        String tokenHash,
        long amountCents,
        String paymentReference,
        PaymentProfile profile,
        String checkoutId,
        Instant claimableUntil,
        String memo,
        Instant at) {

    /**
     * Creates the record, checking its components.
     *
     * @param operationId      the id this credit is applied under, at most once per store (e.g.
     *        {@code "checkout:" + checkout session id})
     * @param tokenHash        the hash of the token whose payment link was paid (the token inside
     *        {@code client_reference_id}); it is <em>not</em> proof that the payer
     *        holds that token
     * @param amountCents      strictly positive
     * @param paymentReference the payment's id at Stripe (a PaymentIntent id), which later refunds
     *        and disputes name; null when unknown
     * @param profile          what the payment told about the payer; its verified email and card
     *        fingerprint identify the payer's existing account, if any
     * @param checkoutId       the checkout session id that the payer's browser can present to
     *        {@link UserStore#claimCheckout} to gain access, or null when there is
     *        none
     * @param claimableUntil   until when that browser may claim the checkout; null when
     *        {@code checkoutId} is null
     * @param memo             null, or a note for the ledger
     * @param at               the time to record
     */
    public PaymentCredit {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        InvalidAmountException.requirePositive(amountCents, "amountCents");
        Objects.requireNonNull(profile, "profile");
        if ((checkoutId == null) != (claimableUntil == null)) {
            throw new IllegalArgumentException("checkoutId and claimableUntil go together");
        }
        Objects.requireNonNull(at, "at");
    }
}
