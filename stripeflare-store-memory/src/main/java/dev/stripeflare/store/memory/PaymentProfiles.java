package dev.stripeflare.store.memory;

import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;

/** When a payment's identity may be recorded on the account it paid into. */
final class PaymentProfiles {

    private PaymentProfiles() {
    }

    /**
     * Whether the credit's verified email and card fingerprint may be recorded on the account
     * now: the credit names no checkout (the caller vouches for it), or the account was found
     * by that identity, or the paying browser already claimed the checkout with the credit's
     * token. Otherwise a stranger's payment link could tie the payer's card to the stranger's
     * account, and the payer's next payment would log them into it.
     */
    static boolean vouched(PaymentCredit credit, CreditResult.Account how, boolean returnedFirst) {
        return credit.checkoutId() == null || returnedFirst
                || how == CreditResult.Account.IDENTIFIED || how == CreditResult.Account.LINKED;
    }

    /** The profile's name and email only. */
    static PaymentProfile contactOnly(PaymentProfile profile) {
        return new PaymentProfile(profile.name(), profile.email(), null, null);
    }
}
