package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.disputeClosed;
import static dev.stripeflare.core.WebhookHarness.disputed;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnclaimedPaymentException;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.event.CreditedEvent;
import dev.stripeflare.event.RestoredEvent;
import dev.stripeflare.event.ReversedEvent;
import dev.stripeflare.event.UnclaimedPaymentEvent;
import dev.stripeflare.event.UnclaimedPaymentResolvedEvent;
import dev.stripeflare.event.WalletListener;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wallet's listener (issue 11 item 3): one event per committed change, delivered after the
 * store step committed, on the caller's thread or the host's executor; a failing listener is
 * logged and changes no money; nothing is delivered for what changed nothing.
 */
class WalletListenerTest {
    /** Records every event; reads the wallet while hearing a credit, to see what is committed. */
    private static final class Recording implements WalletListener {
        final List<Object> events = new CopyOnWriteArrayList<>();
        final List<Long> balancesSeenWhileHearing = new CopyOnWriteArrayList<>();
        volatile Wallet wallet;
        volatile Session visitor;

        @Override
        public void onCredited(CreditedEvent event) {
            events.add(event);
            if (wallet != null && visitor != null) {
                balancesSeenWhileHearing.add(wallet.lookupUser(visitor.accessToken()).map(u -> u.balanceCents())
                        .orElse(-1L));
            }
        }

        @Override
        public void onReversed(ReversedEvent event) {
            events.add(event);
        }

        @Override
        public void onRestored(RestoredEvent event) {
            events.add(event);
        }

        @Override
        public void onUnclaimedPayment(UnclaimedPaymentEvent event) {
            events.add(event);
        }

        @Override
        public void onUnclaimedPaymentResolved(UnclaimedPaymentResolvedEvent event) {
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

    @Test
    void aCreditIsHeardOnceAfterItCommitted() {
        listener.wallet = harness.wallet;
        listener.visitor = ada;

        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(checkoutCompleted(ada, 1).json()); // redelivered: changes nothing, heard nothing

        assertThat(listener.events).singleElement().isInstanceOfSatisfying(CreditedEvent.class, event -> {
            assertThat(event.userId()).isEqualTo(harness.user(ada).userId());
            assertThat(event.amountCents()).isEqualTo(500);
            assertThat(event.balanceAfterCents()).isEqualTo(500);
            assertThat(event.operationId()).isEqualTo("checkout:cs_test_1");
            assertThat(event.paymentIntentId()).isEqualTo("pi_test_1");
            assertThat(event.at()).isEqualTo(TestWallets.NOW);
        });
        assertThat(listener.balancesSeenWhileHearing).as("the credit was committed when it was heard")
                .containsExactly(500L);
    }

    @Test
    void refundsDisputesAndTheirRestorationsAreHeard() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(refunded(1).json());
        harness.deliver(disputed(2).json()); // before its payment: deferred
        harness.deliver(disputeClosed(2, "won").json());

        assertThat(listener.events).hasSize(3);
        assertThat(listener.events.get(1)).isInstanceOfSatisfying(ReversedEvent.class, event -> {
            assertThat(event.kind()).isEqualTo(LedgerEntryKind.REFUND);
            assertThat(event.takenCents()).isEqualTo(200);
            assertThat(event.deferred()).isFalse();
            assertThat(event.userId()).hasValue(harness.user(ada).userId());
        });
        assertThat(listener.events.get(2)).isInstanceOfSatisfying(ReversedEvent.class, event -> {
            assertThat(event.kind()).isEqualTo(LedgerEntryKind.DISPUTE);
            assertThat(event.deferred()).isTrue();
            assertThat(event.userId()).isEmpty();
        });
    }

    @Test
    void aWonDisputeThatTookMoneyIsHeardAsRestored() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        harness.deliver(disputed(1).json());
        harness.deliver(disputeClosed(1, "won").json());

        assertThat(listener.events).last().isInstanceOfSatisfying(RestoredEvent.class, event -> {
            assertThat(event.kind()).isEqualTo(LedgerEntryKind.DISPUTE_WON);
            assertThat(event.amountCents()).isEqualTo(500);
            assertThat(event.balanceAfterCents()).isEqualTo(500);
        });
    }

    @Test
    void anUnclaimedPaymentAndItsAssignmentAreHeard() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        long account = harness.user(ada).userId();
        harness.deliver(checkoutCompleted(ada, 2).replace("\"client_reference_id\": \"" + ada.clientReferenceId()
                + "\"", "\"client_reference_id\": \"" + otherInstancesReference() + "\"").json());

        harness.wallet.assignUnclaimedPayment("cs_test_2", account, "ticket 9");

        assertThat(listener.events).hasSize(4);
        assertThat(listener.events.get(1)).isInstanceOfSatisfying(UnclaimedPaymentEvent.class,
                event -> assertThat(event.payment().id()).isEqualTo("cs_test_2"));
        assertThat(listener.events.get(2)).isInstanceOfSatisfying(CreditedEvent.class, event -> {
            assertThat(event.userId()).isEqualTo(account);
            assertThat(event.balanceAfterCents()).isEqualTo(1_000);
        });
        assertThat(listener.events.get(3)).isInstanceOfSatisfying(UnclaimedPaymentResolvedEvent.class,
                event -> assertThat(event.payment().status()).isEqualTo(UnclaimedPayment.Status.ASSIGNED));
    }

    @Test
    void aRefundMarkingIsHeardAndARefusedOneIsNot() {
        harness.deliver(checkoutCompleted(ada, 2).replace("\"client_reference_id\": \"" + ada.clientReferenceId()
                + "\"", "\"client_reference_id\": \"" + otherInstancesReference() + "\"").json());

        harness.wallet.markUnclaimedPaymentRefunded("cs_test_2", "refunded");
        try {
            harness.wallet.markUnclaimedPaymentRefunded("cs_test_2", "again");
        } catch (UnclaimedPaymentException expected) {
            // refused: heard nothing
        }

        assertThat(listener.events).hasSize(2);
        assertThat(listener.events.get(1)).isInstanceOfSatisfying(UnclaimedPaymentResolvedEvent.class,
                event -> assertThat(event.payment().status()).isEqualTo(UnclaimedPayment.Status.REFUNDED));
    }

    @Test
    void aThrowingListenerIsLoggedAndChangesNoMoney() {
        WalletListener broken = new WalletListener() {
            @Override
            public void onCredited(CreditedEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (CapturedLog log = new CapturedLog(WalletEvents.class);
             WebhookHarness withBroken = new WebhookHarness(builder -> builder.listener(broken).listener(listener))) {
            Session bea = withBroken.visitor();

            assertThat(withBroken.deliver(checkoutCompleted(bea, 1).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);

            assertThat(withBroken.balance(bea)).isEqualTo(500);
            assertThat(withBroken.deliver(checkoutCompleted(bea, 1).json()).outcome())
                    .as("committed once; Stripe's retry is a duplicate").isEqualTo(WebhookOutcome.DUPLICATE);
            assertThat(listener.events).as("the next listener still heard it").hasSize(1);
            assertThat(log.warnings()).singleElement().satisfies(line -> {
                assertThat(line.message()).contains("credited").contains("stays committed");
                assertThat(line.thrown()).hasMessage("listener bug");
            });
        }
    }

    @Test
    void withAnExecutorEventsAreDeliveredThereNotOnTheWebhooksThread() {
        Queue<Runnable> queued = new ArrayDeque<>();
        Executor later = queued::add;
        Recording heard = new Recording();
        try (WebhookHarness async = new WebhookHarness(builder -> builder.listener(heard).listenerExecutor(later))) {
            Session bea = async.visitor();

            async.deliver(checkoutCompleted(bea, 1).json());

            assertThat(heard.events).as("nothing delivered yet").isEmpty();
            assertThat(queued).hasSize(1);
            queued.poll().run();
            assertThat(heard.events).singleElement().isInstanceOf(CreditedEvent.class);
        }
    }

    @Test
    void chargesRaiseNoEvents() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        listener.events.clear();

        harness.wallet.charge(ada.accessToken(), 100);
        harness.wallet.charge(ada.accessToken(), 1_000_000);

        assertThat(listener.events).isEmpty();
    }

    private static String otherInstancesReference() {
        try (Wallet other = TestWallets.builder(new InMemoryUserStore())
                .dbSecret("the-other-instances-db-secret-0123456789ab").build()) {
            return other.session(null).clientReferenceId();
        }
    }
}
