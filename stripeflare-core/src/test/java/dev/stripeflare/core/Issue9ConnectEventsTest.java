package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.disputed;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 8 (Connect): events of a connected account were applied as the platform's own.
 *
 * <p>Root cause: the event's top-level {@code account} was never read. A platform whose webhook
 * endpoint also listens to its connected accounts receives their checkouts, refunds and disputes
 * signed with the same secret; a connected business's checkout carrying one of our
 * {@code client_reference_id}s (copied from our page) credited our wallet for money that was paid
 * to someone else. Now such events are ignored unless the account was accepted in the builder.
 */
class Issue9ConnectEventsTest {
    private static final String OTHER = "acct_1OtherBusiness0001";
    private static final String ACCEPTED = "acct_1OurOwnStore0001";

    private WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    static String inAccount(String eventJson, String account) {
        JsonObject event = JsonParser.parseString(eventJson).getAsJsonObject();
        event.addProperty("account", account);
        return event.toString();
    }

    @Test
    void checkoutOfAConnectedAccountIsIgnoredAndCreditsNothing() {
        WebhookResult result = harness.deliver(inAccount(checkoutCompleted(ada, 1).json(), OTHER));

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).isEmpty();
        assertThat(harness.stripe.requests()).isEmpty();
        assertThat(harness.deliver(checkoutCompleted(ada, 1).json()).outcome())
                .as("nothing was recorded under the session id either").isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void refundsAndDisputesOfAConnectedAccountTakeNothing() {
        harness.deliver(checkoutCompleted(ada, 1).json());

        WebhookResult refund = harness.deliver(inAccount(refunded(1).json(), OTHER));
        WebhookResult dispute = harness.deliver(inAccount(disputed(1).json(), OTHER));

        assertThat(refund.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(dispute.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.balance(ada)).isEqualTo(500);
    }

    @Test
    void explicitNullAccountIsThePlatformsOwnEvent() {
        String platform = checkoutCompleted(ada, 1).json().replaceFirst("\\{", "{\"account\": null,");

        assertThat(harness.deliver(platform).outcome()).isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void acceptedConnectedAccountIsAppliedWithItsStripeCallsMadeInThatAccount() {
        harness.close();
        harness = new WebhookHarness(builder -> builder.acceptConnectedAccount(ACCEPTED));
        Session bea = harness.visitor();

        WebhookResult accepted = harness.deliver(inAccount(checkoutCompleted(bea, 1).json(), ACCEPTED));
        WebhookResult other = harness.deliver(inAccount(checkoutCompleted(bea, 2).json(), OTHER));

        assertThat(accepted.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(other.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.balance(bea)).isEqualTo(500);
        assertThat(harness.stripe.requests()).isNotEmpty().allSatisfy(request ->
                assertThat(request.stripeAccount()).isEqualTo(ACCEPTED));
        assertThat(harness.deliver(checkoutCompleted(bea, 3).json()).outcome())
                .as("the platform's own events still count").isEqualTo(WebhookOutcome.CREDITED);
    }

    @Test
    void acceptingSomethingThatIsNotAnAccountIdIsAConfigurationError() {
        assertThatThrownBy(() -> TestWallets.builder(new InMemoryUserStore())
                .acceptConnectedAccount("cus_123").acceptConnectedAccount(" acct_1").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("acceptConnectedAccount needs an acct_… id, was cus_123")
                .hasMessageContaining("was  acct_1");
    }
}
