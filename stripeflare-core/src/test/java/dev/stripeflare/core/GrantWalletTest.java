package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.Grant;
import dev.stripeflare.GrantRequest;
import dev.stripeflare.GrantResult;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.InvalidGrantException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.User;
import dev.stripeflare.event.GrantExpiredEvent;
import dev.stripeflare.event.GrantedEvent;
import dev.stripeflare.event.WalletListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Grants through the wallet (issue 13, ADR 33): typed refusals that change nothing, the split of
 * paid and granted credit on {@link User}, lazy expiry on a read, the sweep, voiding, refunds
 * that leave grants alone, events after commit, and races of 8 threads.
 */
class GrantWalletTest {

    private static final class Recording implements WalletListener {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Override
        public void onGranted(GrantedEvent event) {
            events.add(event);
        }

        @Override
        public void onGrantExpired(GrantExpiredEvent event) {
            events.add(event);
        }
    }

    private final Recording listener = new Recording();
    private final WebhookHarness harness = new WebhookHarness(builder -> builder.listener(listener));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json()); // 500 cents
        return harness.user(ada).userId();
    }

    private Instant inHours(long hours) {
        return harness.clock.instant().plus(Duration.ofHours(hours));
    }

    @Test
    void aGrantShowsOnTheUserAsGrantedCreditBesidePaidCredit() {
        long id = paidAccount();

        GrantResult result = harness.wallet.grant(GrantRequest.expiring(id, 300, "welcome", "welcome:" + id,
                inHours(24)));

        assertThat(result.applied()).isTrue();
        User user = harness.user(ada);
        assertThat(user.balanceCents()).isEqualTo(800);
        assertThat(user.grantedCents()).isEqualTo(300);
        assertThat(user.paidCents()).isEqualTo(500);
        assertThat(user.nextGrantExpiry()).contains(inHours(24));
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.GRANT);
        assertThat(listener.events).singleElement().isInstanceOfSatisfying(GrantedEvent.class, event -> {
            assertThat(event.amountCents()).isEqualTo(300);
            assertThat(event.balanceAfterCents()).isEqualTo(800);
            assertThat(event.expiresAt()).contains(inHours(24));
        });
    }

    @Test
    void aReplayedGrantChangesNothingAndIsNotHeardAgain() {
        long id = paidAccount();
        GrantRequest request = GrantRequest.permanent(id, 300, "welcome", "welcome:" + id);
        harness.wallet.grant(request);

        GrantResult again = harness.wallet.grant(request);

        assertThat(again.applied()).isFalse();
        assertThat(again.balanceCents()).isEqualTo(800);
        assertThat(listener.events).hasSize(1);
    }

    @Test
    void badGrantsThrowTypedExceptionsAndChangeNothing() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.permanent(id, 100, "first", "g1"));
        User before = harness.user(ada);
        List<LedgerEntry> ledgerBefore = harness.ledger(ada);

        assertThatThrownBy(() -> harness.wallet.grant(GrantRequest.expiring(id, 100, "late", "g2",
                harness.clock.instant()))).isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> harness.wallet.grant(GrantRequest.expiring(id, 100, "past", "g3",
                harness.clock.instant().minusSeconds(1)))).isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> GrantRequest.permanent(id, 0, "zero", "g4")).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> GrantRequest.permanent(id, -1, "negative", "g5"))
                .isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> harness.wallet.grant(GrantRequest.permanent(id + 99, 100, "nobody", "g6")))
                .isInstanceOf(UnknownUserException.class);
        assertThatThrownBy(() -> harness.wallet.grant(GrantRequest.permanent(id, Long.MAX_VALUE, "overflow", "g7")))
                .isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> harness.wallet.grant(GrantRequest.permanent(id, 999, "other amount", "g1")))
                .as("an operation id reused for another grant").isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> harness.wallet.voidGrant(id, "no-such-grant", null))
                .isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> harness.wallet.voidGrant(id + 99, "g1", null))
                .isInstanceOf(UnknownUserException.class);

        assertThat(harness.user(ada)).isEqualTo(before);
        assertThat(harness.ledger(ada)).isEqualTo(ledgerBefore);
        assertThat(listener.events).hasSize(1);
    }

    @Test
    void anExpiredGrantLeavesTheBalanceOnTheNextReadAndIsHeardOnce() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.expiring(id, 300, "trial", "trial:" + id, inHours(1)));

        harness.clock.advance(Duration.ofHours(2));
        User user = harness.user(ada);

        assertThat(user.balanceCents()).isEqualTo(500);
        assertThat(user.grantedCents()).isZero();
        assertThat(user.nextGrantExpiry()).isEmpty();
        assertThat(harness.ledger(ada)).extracting(LedgerEntry::kind).endsWith(LedgerEntryKind.GRANT_EXPIRED);
        assertThat(harness.wallet.expireGrants()).as("nothing left for the sweep").isZero();
        assertThat(listener.events).filteredOn(GrantExpiredEvent.class::isInstance).singleElement()
                .isInstanceOfSatisfying(GrantExpiredEvent.class, event -> {
                    assertThat(event.endedCents()).isEqualTo(300);
                    assertThat(event.voided()).isFalse();
                    assertThat(event.balanceAfterCents()).isEqualTo(500);
                });
    }

    @Test
    void theSweepExpiresGrantsOfAccountsNoOneReads() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.expiring(id, 300, "trial", "trial:" + id, inHours(1)));
        harness.clock.advance(Duration.ofHours(2));

        assertThat(harness.wallet.expireGrants()).isEqualTo(1);

        assertThat(harness.wallet.grants(id)).singleElement()
                .satisfies(g -> assertThat(g.status()).isEqualTo(Grant.Status.EXPIRED));
        assertThat(harness.user(ada).balanceCents()).isEqualTo(500);
    }

    @Test
    void aChargeSpendsGrantedCreditFirstAndAVoidTakesOnlyTheRest() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.permanent(id, 300, "promo", "promo:" + id));

        assertThat(harness.wallet.charge(ada.accessToken(), 200).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(harness.user(ada).paidCents()).isEqualTo(500);
        long voided = harness.wallet.voidGrant(id, "promo:" + id, "abuse");

        assertThat(voided).isEqualTo(100);
        assertThat(harness.user(ada).balanceCents()).isEqualTo(500);
        assertThat(harness.user(ada).grantedCents()).isZero();
        assertThatThrownBy(() -> harness.wallet.voidGrant(id, "promo:" + id, "again"))
                .isInstanceOf(InvalidGrantException.class);
        assertThat(listener.events).filteredOn(GrantExpiredEvent.class::isInstance).singleElement()
                .isInstanceOfSatisfying(GrantExpiredEvent.class, event -> assertThat(event.voided()).isTrue());
    }

    @Test
    void aRefundTakesPaidCreditAndLeavesTheGrant() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.permanent(id, 300, "promo", "promo:" + id));

        harness.deliver(refunded(1).json()); // refunds 200 of the 500 paid

        User user = harness.user(ada);
        assertThat(user.grantedCents()).isEqualTo(300);
        assertThat(user.paidCents()).isEqualTo(300);
    }

    @Test
    void aForgedOrOtherTokenCannotSpendSomeoneElsesGrant() {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.permanent(id, 300, "promo", "promo:" + id));
        Session mallory = harness.visitor();

        assertThat(harness.wallet.charge(mallory.accessToken(), 100).outcome())
                .isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.charge(ada.accessToken() + "x", 100).outcome())
                .isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.user(ada).grantedCents()).isEqualTo(300);
    }

    @Test
    void eightThreadsGrantingOneOperationIdGrantOnceAndAreHeardOnce() throws Exception {
        long id = paidAccount();
        List<GrantResult> results = race(() -> harness.wallet.grant(GrantRequest.permanent(id, 50, "once", "once")));

        assertThat(results).filteredOn(GrantResult::applied).hasSize(1);
        assertThat(harness.user(ada).balanceCents()).isEqualTo(550);
        assertThat(listener.events).filteredOn(GrantedEvent.class::isInstance).hasSize(1);
    }

    @Test
    void eightThreadsReadingAnExpiredGrantExpireItOnce() throws Exception {
        long id = paidAccount();
        harness.wallet.grant(GrantRequest.expiring(id, 300, "trial", "trial", inHours(1)));
        harness.clock.advance(Duration.ofHours(2));

        List<Long> balances = race(() -> harness.user(ada).balanceCents());

        assertThat(balances).containsOnly(500L);
        assertThat(harness.ledger(ada)).filteredOn(e -> e.kind() == LedgerEntryKind.GRANT_EXPIRED).hasSize(1);
        assertThat(listener.events).filteredOn(GrantExpiredEvent.class::isInstance).hasSize(1);
    }

    private static <T> List<T> race(java.util.concurrent.Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

}
