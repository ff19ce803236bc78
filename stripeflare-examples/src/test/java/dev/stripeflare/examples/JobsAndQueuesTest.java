package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.test.StripeTestKit;
import dev.stripeflare.store.h2.H2UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the README's "From jobs and queues" code ({@link JobsAndQueues}) against an H2 wallet. */
class JobsAndQueuesTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T03:00:00Z"), ZoneOffset.UTC);
    private final StripeTestKit stripe = StripeTestKit.builder().clock(clock).start();
    private final Wallet wallet = stripe.walletBuilder(H2UserStore.inMemory("jobs-" + UUID.randomUUID())).build();

    @AfterEach
    void close() {
        wallet.close();
        stripe.close();
    }

    /** A visitor who paid {@code cents}: their account's id, as server code keeps it. */
    private long paidAccount(long cents) {
        Session visitor = wallet.session(null);
        stripe.topUp(wallet, visitor, cents);
        return wallet.lookupUser(visitor.accessToken()).map(User::userId).orElseThrow();
    }

    @Test
    void theNightlyJobChargesEachAccountOnceADayEvenWhenRerun() throws Exception {
        long rich = paidAccount(500);
        long poor = paidAccount(5);
        long deleted = paidAccount(500);
        wallet.deleteUser(deleted);
        JobsAndQueues jobs = new JobsAndQueues(wallet, clock, List.of(rich, poor, deleted));

        ScheduledExecutorService scheduler = JobsAndQueues.newScheduler();
        try {
            ScheduledFuture<?> nightly = jobs.schedule(scheduler);
            // The first run starts at once; a second, manual run of the same day charges no one again.
            scheduler.schedule(() -> { }, 0, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
            nightly.cancel(false);
        } finally {
            scheduler.shutdown();
            assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        jobs.billStorage();

        assertThat(wallet.findUser(rich).orElseThrow().balanceCents()).isEqualTo(490);
        assertThat(wallet.ledger(rich)).filteredOn(e -> e.kind() == LedgerEntryKind.CHARGE)
                .singleElement().extracting(LedgerEntry::memo).isEqualTo("storage 2026-11-29");
        assertThat(jobs.suspended).containsExactly(poor);
        assertThat(jobs.forgotten).containsExactly(deleted);
    }

    @Test
    void aRedeliveredQueueMessageChargesOnce() {
        long user = paidAccount(100);
        JobsAndQueues consumer = new JobsAndQueues(wallet, clock, List.of());
        JobsAndQueues.RenderFinished message = new JobsAndQueues.RenderFinished("r-42", user, 30);

        consumer.onMessage(message);
        consumer.onMessage(message);   // at-least-once: the same message again
        consumer.onMessage(new JobsAndQueues.RenderFinished("r-43", user, 80));

        assertThat(wallet.findUser(user).orElseThrow().balanceCents()).isEqualTo(70);
        assertThat(consumer.acked).containsExactlyInAnyOrder("r-42", "r-43");
        assertThat(consumer.held).containsExactly("r-43");
    }
}
