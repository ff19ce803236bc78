package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.Hold;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldRequest;
import dev.stripeflare.HoldResult;
import dev.stripeflare.HoldState;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.ReserveResult;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Holds through the wallet (issue 14, ADR 34): the held and available amounts on {@link User},
 * try-with-resources releasing a hold when the work throws, captures in steps, expiry by the
 * wallet's clock on a read and by {@code maintain()}, typed refusals that change nothing.
 */
class HoldWalletTest {

    private final WebhookHarness harness = new WebhookHarness(builder -> builder);
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json()); // 500 cents
        return harness.user(ada).userId();
    }

    private Hold reserve(long cents) {
        ReserveResult result = harness.wallet.reserve(HoldRequest.ofToken(ada.accessToken(), cents,
                Duration.ofMinutes(5)));
        assertThat(result.outcome()).isEqualTo(HoldOutcome.RESERVED);
        return result.hold().orElseThrow();
    }

    @Test
    void theUserShowsWhatIsHeldAndWhatIsAvailable() {
        paidAccount();

        Hold hold = reserve(200);

        User user = harness.user(ada);
        assertThat(user.balanceCents()).isEqualTo(500);
        assertThat(user.heldCents()).isEqualTo(200);
        assertThat(user.availableCents()).isEqualTo(300);
        assertThat(hold.expiresAt()).isEqualTo(harness.clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 301)).outcome())
                .isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
    }

    @Test
    void tryWithResourcesCapturesWhatTheWorkCostOrReleasesWhenItThrows() {
        long id = paidAccount();

        try (Hold hold = reserve(200)) {
            HoldResult captured = hold.capture(120);
            assertThat(captured.outcome()).isEqualTo(HoldOutcome.CAPTURED);
        }
        assertThatThrownBy(() -> {
            try (Hold hold = reserve(300)) {
                throw new IllegalStateException("the work failed before capturing hold " + hold.holdId());
            }
        }).isInstanceOf(IllegalStateException.class);

        User user = harness.user(ada);
        assertThat(user.balanceCents()).isEqualTo(380);
        assertThat(user.heldCents()).isZero();
        assertThat(harness.wallet.holds(id)).extracting(HoldState::status)
                .containsExactly(HoldState.Status.CAPTURED, HoldState.Status.RELEASED);
        List<LedgerEntry> ledger = harness.ledger(ada);
        assertThat(ledger).extracting(LedgerEntry::kind).containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.CHARGE);
    }

    @Test
    void aStreamedResponseIsCapturedInStepsAndNeverBeyondTheHold() {
        paidAccount();
        try (Hold hold = reserve(100)) {
            assertThat(hold.captureSome(30).outcome()).isEqualTo(HoldOutcome.CAPTURED);
            assertThat(hold.captureSome(30).outcome()).isEqualTo(HoldOutcome.CAPTURED);
            assertThat(hold.capturedCents()).isEqualTo(60);
            assertThat(hold.captureSome(50).outcome()).isEqualTo(HoldOutcome.EXCEEDS_HOLD);
            assertThat(hold.capture(70).chargedCents()).isEqualTo(10);
            assertThat(hold.isClosed()).isTrue();
        }
        assertThat(harness.balance(ada)).isEqualTo(430);
        assertThat(harness.user(ada).heldCents()).isZero();
    }

    @Test
    void aHoldPastItsTimeToLiveIsReleasedOnTheNextReadAndCaptureAnswersExpired() {
        long id = paidAccount();
        Hold hold = reserve(400);

        harness.clock.advance(Duration.ofMinutes(5));

        User user = harness.user(ada);
        assertThat(user.heldCents()).isZero();
        assertThat(user.availableCents()).isEqualTo(500);
        assertThat(hold.capture(100).outcome()).isEqualTo(HoldOutcome.EXPIRED);
        assertThat(harness.balance(ada)).isEqualTo(500);
        assertThat(harness.wallet.holds(id)).extracting(HoldState::status).containsExactly(HoldState.Status.EXPIRED);
    }

    @Test
    void maintainReleasesHoldsPastTheirTimeToLive() {
        long id = paidAccount();
        reserve(400);
        harness.clock.advance(Duration.ofMinutes(6));

        harness.wallet.maintain();

        assertThat(harness.wallet.holds(id)).extracting(HoldState::status).containsExactly(HoldState.Status.EXPIRED);
        assertThat(harness.wallet.expireHolds()).isZero();
    }

    @Test
    void refusalsAreTypedAndChangeNothing() {
        long id = paidAccount();
        reserve(400);
        User before = harness.user(ada);

        ReserveResult tooMuch = harness.wallet.reserve(HoldRequest.ofToken(ada.accessToken(), 101,
                Duration.ofMinutes(1)));
        ReserveResult forged = harness.wallet.reserve(HoldRequest.ofToken("forged-token", 1, Duration.ofMinutes(1)));
        ReserveResult nobody = harness.wallet.reserve(HoldRequest.ofUser(id + 99, 1, Duration.ofMinutes(1)));

        assertThat(tooMuch.outcome()).isEqualTo(HoldOutcome.INSUFFICIENT_BALANCE);
        assertThat(tooMuch.availableCents()).isEqualTo(100);
        assertThat(tooMuch.reserved()).isFalse();
        assertThat(forged.outcome()).isEqualTo(HoldOutcome.NOT_REGISTERED);
        assertThat(nobody.outcome()).isEqualTo(HoldOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.capture(987_654, 1).outcome()).isEqualTo(HoldOutcome.NOT_FOUND);
        assertThatThrownBy(() -> harness.wallet.capture(1, -1)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> HoldRequest.ofToken(ada.accessToken(), 0, Duration.ofMinutes(1)))
                .isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> HoldRequest.ofToken(ada.accessToken(), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HoldRequest.ofToken(ada.accessToken(), 1, Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HoldRequest.ofUser(0, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(harness.user(ada)).isEqualTo(before);
    }

    @Test
    void aKeyedReservationRetriedAnswersTheSameHold() {
        paidAccount();
        HoldRequest request = HoldRequest.ofToken(ada.accessToken(), 200, Duration.ofMinutes(1))
                .withIdempotencyKey("job-7");

        ReserveResult first = harness.wallet.reserve(request);
        ReserveResult again = harness.wallet.reserve(request);

        assertThat(again.outcome()).isEqualTo(HoldOutcome.REPLAYED);
        assertThat(again.hold().orElseThrow().holdId()).isEqualTo(first.hold().orElseThrow().holdId());
        assertThat(harness.user(ada).heldCents()).isEqualTo(200);
    }
}
