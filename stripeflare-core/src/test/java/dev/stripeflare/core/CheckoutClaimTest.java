package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.paymentIntent;
import static dev.stripeflare.core.WebhookHarness.sessionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.CheckoutResult;
import dev.stripeflare.InvalidCheckoutSessionIdException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 3, "login by payment hands over accounts": the token inside
 * {@code client_reference_id} was trusted to be the payer's, so an attacker who sent the payment
 * link of their own fresh token to a victim got the victim's account (matched by card) linked to
 * that token. Now the webhook only credits the payer's account, and access goes to the browser
 * that completed the checkout and presents its session id ({@code Wallet.completeCheckout}),
 * whichever of the redirect and the webhook arrives first. Real signed payloads, real
 * stripe-java lookups against {@link FakeStripeApi}, the in-memory store.
 */
class CheckoutClaimTest {
    private static final Duration CLAIM_WINDOW = Duration.ofSeconds(60);
    private static final Duration PENDING_WINDOW = Duration.ofSeconds(120);

    private final WebhookHarness harness = new WebhookHarness(builder -> builder
            .checkoutClaimWindow(CLAIM_WINDOW)
            .checkoutPendingWindow(PENDING_WINDOW));
    private final Session laptop = harness.visitor();
    private final Session phone = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    /** The laptop's account: 500 cents paid with {@code fp_victim}, checkout 1. */
    private long accountPaidByLaptop() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_victim");
        WebhookResult first = harness.deliver(checkoutCompleted(laptop, 1).json());
        assertThat(first.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.returnFrom(laptop, 1).outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        return first.userId().orElseThrow();
    }

    private void assertBalanceEqualsLedger(Session visitor) {
        assertThat(harness.ledger(visitor).stream().mapToLong(LedgerEntry::amountCents).sum())
                .isEqualTo(harness.balance(visitor));
    }

    @Test
    void anAttackersLinkPaidByAVictimCreditsTheVictimAndOpensNothingForTheAttacker() {
        long victimAccount = accountPaidByLaptop();
        Session attacker = harness.visitor();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");

        // The victim pays the link the attacker sent ("top up here") with their usual card.
        WebhookResult paid = harness.deliver(checkoutCompleted(attacker, 2).json());

        assertThat(paid.outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);
        assertThat(paid.userId()).hasValue(victimAccount);
        assertThat(harness.wallet.lookupUser(attacker.accessToken())).isEmpty();
        assertThat(harness.wallet.charge(attacker.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.session(attacker.accessToken()).registered()).isFalse();
        assertThat(harness.balance(laptop)).as("the victim's money is in the victim's account").isEqualTo(1000);
        assertBalanceEqualsLedger(laptop);

        // The victim's browser returns with the victim's own cookie: nothing changes hands.
        CheckoutResult victimReturns = harness.returnFrom(laptop, 2);
        assertThat(victimReturns.outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        assertThat(victimReturns.user()).map(User::userId).hasValue(victimAccount);
        // A guessed or made-up checkout id is no key either.
        assertThat(harness.wallet.completeCheckout(attacker.accessToken(), "cs_test_guess").outcome())
                .isEqualTo(CheckoutOutcome.PENDING);
        assertThat(harness.wallet.lookupUser(attacker.accessToken())).isEmpty();
        assertThat(harness.balance(laptop)).isEqualTo(1000);
    }

    @Test
    void theVictimsBrowserWithoutACookieGetsNothingEitherAndTheAttackerStillNothing() {
        long victimAccount = accountPaidByLaptop();
        Session attacker = harness.visitor();
        Session victimsOtherBrowser = harness.visitor();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(attacker, 2).json());

        CheckoutResult returned = harness.returnFrom(victimsOtherBrowser, 2);

        assertThat(returned.outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(returned.user()).isEmpty();
        assertThat(harness.wallet.lookupUser(victimsOtherBrowser.accessToken())).isEmpty();
        assertThat(harness.wallet.lookupUser(attacker.accessToken())).isEmpty();
        assertThat(harness.user(laptop).userId()).isEqualTo(victimAccount);
        assertThat(harness.balance(laptop)).isEqualTo(1000);
    }

    @Test
    void secondDeviceReturningAfterTheWebhookLogsIn() {
        long account = accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        assertThat(harness.deliver(checkoutCompleted(phone, 2).json()).outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);

        CheckoutResult returned = harness.returnFrom(phone, 2);

        assertThat(returned.outcome()).isEqualTo(CheckoutOutcome.LINKED);
        assertThat(returned.loggedIn()).isTrue();
        assertThat(returned.user()).map(User::userId).hasValue(account);
        assertThat(returned.user()).map(User::balanceCents).hasValue(1000L);
        assertThat(harness.user(phone).userId()).isEqualTo(account);
    }

    @Test
    void secondDeviceReturningBeforeTheWebhookIsLoggedInByTheCredit() {
        long account = accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");

        CheckoutResult early = harness.returnFrom(phone, 2);

        assertThat(early.outcome()).isEqualTo(CheckoutOutcome.PENDING);
        assertThat(early.user()).isEmpty();
        assertThat(harness.wallet.lookupUser(phone.accessToken())).isEmpty();

        WebhookResult credited = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(credited.outcome()).isEqualTo(WebhookOutcome.LOGIN_BY_PAYMENT);
        assertThat(credited.userId()).hasValue(account);
        assertThat(harness.user(phone).userId()).isEqualTo(account);
        assertThat(harness.balance(phone)).isEqualTo(1000);
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
    }

    @Test
    void aFirstPaymentsOwnBrowserReturningFirstOpensTheNewAccount() {
        harness.stripe.cardPayment(paymentIntent(1), "fp_new_card");

        assertThat(harness.returnFrom(laptop, 1).outcome()).isEqualTo(CheckoutOutcome.PENDING);
        WebhookResult credited = harness.deliver(checkoutCompleted(laptop, 1).json());

        assertThat(credited.outcome()).isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.balance(laptop)).isEqualTo(500);
        assertThat(harness.returnFrom(laptop, 1).outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
    }

    @Test
    void claimingTwiceLinksOnceAndThenAnswersAlreadyLinked() {
        long account = accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.LINKED);
        CheckoutResult again = harness.returnFrom(phone, 2);

        assertThat(again.outcome()).isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        assertThat(again.user()).map(User::userId).hasValue(account);
        assertThat(harness.balance(phone)).isEqualTo(1000);
        assertBalanceEqualsLedger(phone);
    }

    @Test
    void claimingWithAnotherTokenIsRefusedAndLeavesTheRightBrowsersClaimIntact() {
        long account = accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());
        Session stranger = harness.visitor();

        CheckoutResult stolen = harness.returnFrom(stranger, 2);
        CheckoutResult byAnotherAccount = harness.returnFrom(laptop, 2);

        assertThat(stolen.outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(stolen.user()).isEmpty();
        assertThat(harness.wallet.lookupUser(stranger.accessToken())).isEmpty();
        assertThat(byAnotherAccount.outcome()).as("a token of the same account gains nothing new")
                .isEqualTo(CheckoutOutcome.ALREADY_LINKED);
        // The account's own browser came back with the id: the checkout is closed to every other claim.
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(harness.wallet.lookupUser(phone.accessToken())).isEmpty();
        assertThat(harness.user(laptop).userId()).isEqualTo(account);
        assertThat(harness.returnFrom(stranger, 2).outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(harness.wallet.lookupUser(stranger.accessToken())).isEmpty();
    }

    @Test
    void aTokenOpeningAnotherAccountCannotClaimAndKeepsItsOwnAccount() {
        long victimAccount = accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_other_card");
        harness.deliver(checkoutCompleted(phone, 2).json());
        long phoneAccount = harness.user(phone).userId();
        assertThat(phoneAccount).isNotEqualTo(victimAccount);
        harness.stripe.cardPayment(paymentIntent(3), "fp_victim");
        // The phone, which has its own account, pays checkout 3 on the link of a fresh tablet token.
        Session tablet = harness.visitor();
        harness.deliver(checkoutCompleted(tablet, 3).json());

        CheckoutResult returned = harness.returnFrom(phone, 3);

        assertThat(returned.outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(returned.user()).map(User::userId).hasValue(phoneAccount);
        assertThat(harness.user(phone).userId()).isEqualTo(phoneAccount);
        assertThat(harness.balance(laptop)).isEqualTo(1000);
    }

    @Test
    void aClaimAfterTheWindowExpiresAndChangesNothing() {
        accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());

        harness.clock.advance(CLAIM_WINDOW.plusSeconds(1));
        CheckoutResult late = harness.returnFrom(phone, 2);

        assertThat(late.outcome()).isEqualTo(CheckoutOutcome.EXPIRED);
        assertThat(late.user()).isEmpty();
        assertThat(harness.wallet.lookupUser(phone.accessToken())).isEmpty();
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.EXPIRED);
        assertThat(harness.balance(laptop)).as("the money stays credited").isEqualTo(1000);
    }

    @Test
    void aClaimJustInsideTheWindowStillLinks() {
        accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());

        harness.clock.advance(CLAIM_WINDOW.minusSeconds(1));

        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.LINKED);
    }

    @Test
    void aPendingClaimOlderThanThePendingWindowIsNotAttachedByTheLateCredit() {
        accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.PENDING);

        harness.clock.advance(PENDING_WINDOW.plusSeconds(1));
        WebhookResult late = harness.deliver(checkoutCompleted(phone, 2).json());

        assertThat(late.outcome()).isEqualTo(WebhookOutcome.PAYER_IDENTIFIED);
        assertThat(harness.wallet.lookupUser(phone.accessToken())).isEmpty();
        assertThat(harness.balance(laptop)).isEqualTo(1000);
        assertThat(harness.returnFrom(phone, 2).outcome()).as("the returning browser may still claim within the claim window")
                .isEqualTo(CheckoutOutcome.LINKED);
    }

    @Test
    void malformedSessionIdsAreATypedErrorAndChangeNothing() {
        accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());

        for (String bad : new String[] {"", "cs_", "pi_test_2", "cs_test_2 ", "cs_test-2", "cs_test_2?x=1",
                "CS_test_2", "cs_" + "a".repeat(251), "cs_test_2\n", "cs_tést"}) {
            assertThatThrownBy(() -> harness.wallet.completeCheckout(phone.accessToken(), bad))
                    .as(bad).isInstanceOf(InvalidCheckoutSessionIdException.class)
                    .hasMessage(new InvalidCheckoutSessionIdException().getMessage());
        }
        assertThatThrownBy(() -> harness.wallet.completeCheckout(phone.accessToken(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> harness.wallet.completeCheckout(null, sessionId(2)))
                .isInstanceOf(NullPointerException.class);
        assertThat(harness.wallet.lookupUser(phone.accessToken())).isEmpty();
        assertThat(harness.returnFrom(phone, 2).outcome()).as("the real claim is untouched").isEqualTo(CheckoutOutcome.LINKED);
        assertThat(harness.wallet.completeCheckout(phone.accessToken(), "cs_" + "a".repeat(250)).outcome())
                .as("the longest id is accepted").isEqualTo(CheckoutOutcome.PENDING);
    }

    @Test
    void aMalformedTokenIsRefusedWithoutTouchingAnything() {
        accountPaidByLaptop();
        harness.stripe.cardPayment(paymentIntent(2), "fp_victim");
        harness.deliver(checkoutCompleted(phone, 2).json());

        CheckoutResult garbage = harness.wallet.completeCheckout("not-a-token", sessionId(2));

        assertThat(garbage.outcome()).isEqualTo(CheckoutOutcome.REFUSED);
        assertThat(garbage.user()).isEmpty();
        assertThat(harness.returnFrom(phone, 2).outcome()).isEqualTo(CheckoutOutcome.LINKED);
    }

    /**
     * The redirect and the webhook race: 3 threads deliver the webhook (Stripe redelivering), 3
     * present the return with the paying browser's token, 2 with a stranger's token that somehow
     * learnt the session id. Whatever the interleaving: the payment is credited once, to the
     * payer's account; the stranger never opens anything; the paying browser is logged in, at the
     * latest on its next return.
     */
    @Test
    void webhookDeliveriesRacingReturnsCreditOnceAndLinkOnlyThePayingBrowser() throws Exception {
        long account = accountPaidByLaptop();
        int rounds = 30;
        Set<CheckoutOutcome> payerOutcomes = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < rounds; round++) {
                int n = 100 + round;
                Session payer = harness.visitor();
                Session stranger = harness.visitor();
                harness.stripe.cardPayment(paymentIntent(n), "fp_victim");
                String payload = checkoutCompleted(payer, n).json();
                long before = harness.balance(laptop);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Object>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int role = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (role < 3) {
                            return harness.deliver(payload);
                        }
                        return harness.returnFrom(role < 6 ? payer : stranger, n);
                    }));
                }
                start.countDown();
                int applied = 0;
                for (int t = 0; t < 8; t++) {
                    Object result = futures.get(t).get(30, TimeUnit.SECONDS);
                    if (result instanceof WebhookResult webhook) {
                        assertThat(webhook.httpStatus()).as("round %d", round).isEqualTo(200);
                        assertThat(webhook.outcome()).isIn(WebhookOutcome.DUPLICATE, WebhookOutcome.PAYER_IDENTIFIED,
                                WebhookOutcome.LOGIN_BY_PAYMENT);
                        if (webhook.outcome() != WebhookOutcome.DUPLICATE) {
                            applied++;
                            assertThat(webhook.userId()).hasValue(account);
                        }
                    } else if (t < 6) {
                        CheckoutOutcome outcome = ((CheckoutResult) result).outcome();
                        payerOutcomes.add(outcome);
                        assertThat(outcome).as("round %d", round).isIn(EnumSet.of(CheckoutOutcome.LINKED,
                                CheckoutOutcome.ALREADY_LINKED, CheckoutOutcome.PENDING, CheckoutOutcome.REFUSED));
                    } else {
                        CheckoutResult strangers = (CheckoutResult) result;
                        assertThat(strangers.outcome()).as("round %d", round)
                                .isIn(CheckoutOutcome.PENDING, CheckoutOutcome.REFUSED);
                        assertThat(strangers.user()).isEmpty();
                    }
                }
                assertThat(applied).as("round %d: credited exactly once", round).isEqualTo(1);
                assertThat(harness.balance(laptop)).isEqualTo(before + 500);
                assertThat(harness.wallet.lookupUser(stranger.accessToken())).as("round %d", round).isEmpty();
                assertThat(harness.returnFrom(payer, n).loggedIn()).as("round %d: the payer's browser", round).isTrue();
                assertThat(harness.user(payer).userId()).isEqualTo(account);
                assertThat(harness.returnFrom(stranger, n).outcome()).isEqualTo(CheckoutOutcome.REFUSED);
                assertThat(harness.wallet.lookupUser(stranger.accessToken())).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(harness.balance(laptop)).isEqualTo(500 + rounds * 500L);
        assertBalanceEqualsLedger(laptop);
        assertThat(payerOutcomes).as("the race was exercised from both sides").isNotEmpty();
    }
}
