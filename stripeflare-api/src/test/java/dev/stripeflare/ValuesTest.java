package dev.stripeflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final String TOKEN = "sf_secret-token-value";

    @Test
    void chargeRequestValidatesOnConstruction() {
        assertThatThrownBy(() -> ChargeRequest.of(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ChargeRequest.of(TOKEN, 0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> ChargeRequest.of(TOKEN, Long.MIN_VALUE)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> ChargeRequest.of(TOKEN, 1).withIdempotencyKey(""))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThatThrownBy(() -> ChargeRequest.of(TOKEN, 1).withMemo("m".repeat(501)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChargeRequest.of(TOKEN, 1).withIdempotencyKey("k".repeat(255)).idempotencyKey()).hasSize(255);
    }

    @Test
    void chargeRequestWithersKeepEveryOtherComponent() {
        ChargeRequest request = ChargeRequest.of(TOKEN, 7).allowingNegativeBalance()
                .withIdempotencyKey("key").withMemo("memo");

        assertThat(request).isEqualTo(new ChargeRequest(TOKEN, 7, true, "key", "memo"));
    }

    @Test
    void nothingHoldingATokenPrintsIt() {
        assertThat(ChargeRequest.of(TOKEN, 1).toString()).doesNotContain(TOKEN).contains("<redacted>");
        Session session = new Session(TOKEN, Optional.empty(), "ref", "https://buy.stripe.com/x?client_reference_id=ref",
                false, true);
        assertThat(session.toString()).doesNotContain(TOKEN);
    }

    @Test
    void sessionIsRegisteredExactlyWhenItHasAUser() {
        assertThatThrownBy(() -> new Session(TOKEN, Optional.empty(), "ref", "https://x", true, false))
                .isInstanceOf(IllegalArgumentException.class);
        User user = new User(1, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "ref", Map.of());
        assertThatThrownBy(() -> new Session(TOKEN, Optional.of(user), "ref", "https://x", false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Session(TOKEN, Optional.of(user), "ref", "https://x", true, false).registered()).isTrue();
    }

    @Test
    void checkoutResultIsLoggedInOnlyWhenTheTokenOpensThePaidAccount() {
        User user = new User(1, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "ref", Map.of());
        assertThat(new CheckoutResult(CheckoutOutcome.LINKED, Optional.of(user)).loggedIn()).isTrue();
        assertThat(new CheckoutResult(CheckoutOutcome.ALREADY_LINKED, Optional.of(user)).loggedIn()).isTrue();
        assertThat(new CheckoutResult(CheckoutOutcome.PENDING, Optional.empty()).loggedIn()).isFalse();
        assertThat(new CheckoutResult(CheckoutOutcome.REFUSED, Optional.of(user)).loggedIn()).isFalse();
        assertThatThrownBy(() -> new CheckoutResult(null, Optional.empty())).isInstanceOf(NullPointerException.class);
        assertThat(new InvalidCheckoutSessionIdException().getMessage()).startsWith("not a Stripe checkout session id");
    }

    @Test
    void chargeResultCannotContradictItsOutcome() {
        assertThatThrownBy(() -> new ChargeResult(true, 0, ChargeOutcome.INSUFFICIENT_BALANCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChargeResult(false, 0, ChargeOutcome.CHARGED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChargeResult.replayed(5).charged()).isTrue();
        assertThat(ChargeResult.notRegistered().message()).isEqualTo("User is not signed up yet and cannot be charged");
    }

    /**
     * Issue 9 item 8: {@code registered()} used to mean "has an email", so an account created by
     * a payment without an email (a card checkout that collected none) looked unregistered.
     */
    @Test
    void everyUserHasAnAccountAndIsRegisteredEvenWithoutAnEmailAndItsCustomFieldsAreFrozen() {
        Map<String, Object> fields = new HashMap<>(Map.of("plan", "pro"));
        User user = new User(1, 0, Optional.empty(), Optional.of("a@example.com"), Optional.empty(),
                Optional.empty(), "ref", fields);
        fields.put("plan", "free");

        assertThat(user.registered()).isTrue();
        assertThat(user.customFields()).containsEntry("plan", "pro");
        assertThatThrownBy(() -> user.customFields().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new User(2, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "ref",
                Map.of()).registered()).as("an account without an email").isTrue();
    }

    @Test
    void ledgerEntriesMoveMoneyAndWebhookResultsCarryRealStatuses() {
        assertThatThrownBy(() -> new LedgerEntry(1, 0, 0, LedgerEntryKind.CHARGE, null, null, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookResult(99, WebhookOutcome.IGNORED, "x", OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new WebhookResult(503, WebhookOutcome.RETRY_LATER, "x", OptionalLong.empty()).acknowledged()).isFalse();
        assertThat(new WebhookResult(200, WebhookOutcome.DUPLICATE, "x", OptionalLong.of(3)).acknowledged()).isTrue();
    }

    @Test
    void configurationExceptionNamesEveryProblem() {
        ConfigurationException e = new ConfigurationException(List.of("a is missing", "b is short"));

        assertThat(e.problems()).containsExactly("a is missing", "b is short");
        assertThat(e).hasMessageContaining("a is missing").hasMessageContaining("b is short");
    }
}
