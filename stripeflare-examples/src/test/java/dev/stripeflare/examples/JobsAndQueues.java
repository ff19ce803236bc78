package dev.stripeflare.examples;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.Wallet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The code of the README's "From jobs and queues" section, compiled and run by
 * {@link JobsAndQueuesTest}: keep the two in step.
 */
final class JobsAndQueues {

    /** A message of an at-least-once queue: a render finished and is to be billed. */
    record RenderFinished(String renderId, long userId, long priceCents) { }

    private final Wallet wallet;
    private final Clock clock;
    final List<Long> storageUsers;
    final Set<Long> suspended = ConcurrentHashMap.newKeySet();
    final Set<Long> forgotten = ConcurrentHashMap.newKeySet();
    final Set<String> held = ConcurrentHashMap.newKeySet();
    final Set<String> acked = ConcurrentHashMap.newKeySet();

    JobsAndQueues(Wallet wallet, Clock clock, List<Long> storageUsers) {
        this.wallet = wallet;
        this.clock = clock;
        this.storageUsers = storageUsers;
    }

    // README: the nightly job.
    ScheduledFuture<?> schedule(ScheduledExecutorService scheduler) {
        return scheduler.scheduleAtFixedRate(this::billStorage, 0, 1, TimeUnit.DAYS);
    }

    void billStorage() {
        String day = LocalDate.now(clock).toString();              // clock: a java.time.Clock in UTC
        for (long userId : storageUsers) {                          // User.userId(), kept with your data
            try {
                ChargeResult result = wallet.chargeUser(UserChargeRequest.of(userId, 10)
                        .withIdempotencyKey("storage-" + day)       // a rerun of today's job charges no one twice
                        .withMemo("storage " + day));
                if (!result.charged()) {                            // INSUFFICIENT_BALANCE
                    suspendStorage(userId);
                }
            } catch (UnknownUserException deleted) {                // the account was deleted
                forgetUser(userId);
            }
        }
    }

    // README: the queue consumer.
    void onMessage(RenderFinished message) {                        // delivered at least once
        ChargeResult result = wallet.chargeUser(UserChargeRequest.of(message.userId(), message.priceCents())
                .withIdempotencyKey("render-" + message.renderId()) // a redelivery answers REPLAYED
                .withMemo("render " + message.renderId()));
        switch (result.outcome()) {
            case CHARGED, REPLAYED -> ack(message);
            case INSUFFICIENT_BALANCE -> {
                holdRender(message.renderId());
                ack(message);
            }
            default -> throw new IllegalStateException(result.message());
        }
    }

    private void suspendStorage(long userId) {
        suspended.add(userId);
    }

    private void forgetUser(long userId) {
        forgotten.add(userId);
    }

    private void holdRender(String renderId) {
        held.add(renderId);
    }

    private void ack(RenderFinished message) {
        acked.add(message.renderId());
    }

    static ScheduledExecutorService newScheduler() {
        return Executors.newSingleThreadScheduledExecutor();
    }
}
