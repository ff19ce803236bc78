package dev.stripeflare.test;

import java.util.Objects;

/**
 * A checkout payment the kit made up, with Stripe's id prefixes: the checkout session, its
 * PaymentIntent and the charge. The kit's local Stripe API answers for it from then on.
 *
 * @param checkoutSessionId the {@code cs_test_…} id ({@code {CHECKOUT_SESSION_ID}} of the return URL)
 * @param paymentIntentId   the {@code pi_…} id
 * @param chargeId          the {@code ch_…} id of its one charge
 * @param clientReferenceId the {@code client_reference_id} the paid link carried
 * @param amountCents       what was paid, in minor units of {@code currency}
 * @param currency          lower-case ISO 4217 code
 * @param payer             who paid and how
 */
public record TestPayment(String checkoutSessionId, String paymentIntentId, String chargeId, String clientReferenceId,
                          long amountCents, String currency, Payer payer) {
    /**
     * Checks that every part is present and the amount positive.
     *
     * @param checkoutSessionId the {@code cs_test_…} id ({@code {CHECKOUT_SESSION_ID}} of the return URL)
     * @param paymentIntentId   the {@code pi_…} id
     * @param chargeId          the {@code ch_…} id of its one charge
     * @param clientReferenceId the {@code client_reference_id} the paid link carried
     * @param amountCents       what was paid, in minor units of {@code currency}
     * @param currency          lower-case ISO 4217 code
     * @param payer             who paid and how
     */
    public TestPayment {
        Objects.requireNonNull(checkoutSessionId, "checkoutSessionId");
        Objects.requireNonNull(paymentIntentId, "paymentIntentId");
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(clientReferenceId, "clientReferenceId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(payer, "payer");
        if (amountCents <= 0) {
            throw new IllegalArgumentException("a payment is of a positive amount, was " + amountCents);
        }
    }
}
