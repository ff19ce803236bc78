package dev.stripeflare.examples;

// The README's "Testing without Stripe" example, run as it stands; ReadmeSnippetsTest checks that
// the README holds exactly the code between the README markers.
// README-BEGIN testing
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.test.StripeTestKit;
import dev.stripeflare.test.TestPayment;
import org.junit.jupiter.api.Test;

class TopUpTest {
    @Test
    void aPaidVisitorIsChargedAndARefundTakesMoneyBack() {
        try (StripeTestKit stripe = StripeTestKit.start();   // Stripe's API on a local port
             Wallet wallet = stripe.wallet()) {              // an in-memory wallet wired to it
            Session visitor = wallet.session(null);
            TestPayment payment = stripe.pay(visitor, 500);  // pays the visitor's Payment Link
            assertThat(stripe.checkoutCompleted(payment).deliverTo(wallet).outcome())
                    .isEqualTo(WebhookOutcome.CREDITED);     // a signed checkout.session.completed
            assertThat(wallet.charge(visitor.accessToken(), 25).outcome()).isEqualTo(ChargeOutcome.CHARGED);

            stripe.refund(payment, 200).deliverTo(wallet);   // a signed charge.refunded
            assertThat(wallet.lookupUser(visitor.accessToken()).orElseThrow().balanceCents()).isEqualTo(275);
        }
    }
}
// README-END testing
