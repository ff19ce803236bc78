package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.InvalidIdempotencyKeyException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.User;
import dev.stripeflare.UserChargeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Charging an account by its user id, as a job or queue consumer does (issue 13, ADR 32): the
 * same rules as a charge through a token, a typed exception for an id that names no account.
 */
class ChargeByUserIdTest {
    private final WebhookHarness harness = new WebhookHarness();
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        return harness.user(ada).userId();
    }

    @Test
    void chargeByUserIdDebitsTheAccountItsTokenOpens() {
        long id = paidAccount();

        ChargeResult result = harness.wallet.chargeUser(UserChargeRequest.of(id, 120)
                .withIdempotencyKey("render-1").withMemo("render 1"));

        assertThat(result).isEqualTo(ChargeResult.charged(380));
        assertThat(harness.balance(ada)).isEqualTo(380);
        assertThat(harness.wallet.ledger(id)).isEqualTo(harness.ledger(ada)).last()
                .isEqualTo(new LedgerEntry(id, -120, 380, LedgerEntryKind.CHARGE, null, "render 1", TestWallets.NOW));
        // The key is kept once, in the key table (ADR 30): retrying it replays.
        assertThat(harness.wallet.chargeUser(UserChargeRequest.of(id, 120).withIdempotencyKey("render-1")).outcome())
                .isEqualTo(ChargeOutcome.REPLAYED);
        assertThat(harness.wallet.chargeUser(id, 80)).isEqualTo(ChargeResult.charged(300));
    }

    @Test
    void aRedeliveredMessageChargesOnceWhicheverWayItNamesTheAccount() {
        long id = paidAccount();
        UserChargeRequest message = UserChargeRequest.of(id, 100).withIdempotencyKey("msg-7");

        assertThat(harness.wallet.chargeUser(message).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(harness.wallet.chargeUser(message)).isEqualTo(ChargeResult.replayed(400));
        assertThat(harness.wallet.charge(ChargeRequest.of(ada.accessToken(), 100).withIdempotencyKey("msg-7")))
                .isEqualTo(ChargeResult.replayed(400));
        assertThatThrownBy(() -> harness.wallet.chargeUser(UserChargeRequest.of(id, 99).withIdempotencyKey("msg-7")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(harness.balance(ada)).isEqualTo(400);
    }

    @Test
    void balanceTooLowDeclinesUnlessOverdraftIsAllowed() {
        long id = paidAccount();

        assertThat(harness.wallet.chargeUser(id, 501)).isEqualTo(ChargeResult.insufficientBalance(500));
        assertThat(harness.wallet.chargeUser(UserChargeRequest.of(id, 501).allowingNegativeBalance()))
                .isEqualTo(ChargeResult.charged(-1));
    }

    @Test
    void anIdThatNamesNoAccountIsATypedExceptionAndChangesNothing() {
        long id = paidAccount();
        List<LedgerEntry> before = harness.ledger(ada);

        for (long unknown : new long[] {id + 1, 0, -id, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> harness.wallet.chargeUser(unknown, 1)).isInstanceOf(UnknownUserException.class)
                    .hasMessageContaining(Long.toString(unknown));
            assertThatThrownBy(() -> harness.wallet.chargeUser(UserChargeRequest.of(unknown, 1).allowingNegativeBalance()
                    .withIdempotencyKey("k"))).isInstanceOf(UnknownUserException.class);
            assertThat(harness.wallet.findUser(unknown)).isEmpty();
            assertThat(harness.wallet.ledger(unknown)).isEmpty();
        }
        assertThat(harness.ledger(ada)).isEqualTo(before);
    }

    @Test
    void badRequestsAreRefusedBeforeTheStore() {
        assertThatThrownBy(() -> UserChargeRequest.of(1, 0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> UserChargeRequest.of(1, -5)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> UserChargeRequest.of(1, 5).withIdempotencyKey(" "))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThatThrownBy(() -> UserChargeRequest.of(1, 5).withIdempotencyKey("a\nb"))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThatThrownBy(() -> UserChargeRequest.of(1, 5).withMemo("x".repeat(501)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findUserReadsTheAccountThroughNoToken() {
        long id = paidAccount();

        User user = harness.wallet.findUser(id).orElseThrow();

        assertThat(user.userId()).isEqualTo(id);
        assertThat(user.balanceCents()).isEqualTo(500);
        assertThat(user.clientReferenceId()).isEmpty();
        assertThat(user.email()).isEqualTo(harness.user(ada).email());
    }

    @Test
    void eightThreadsChargingByIdAndByTokenNeverOverdraw() throws Exception {
        long id = paidAccount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int charged = 0;
                    for (int i = 0; i < 20; i++) {
                        ChargeResult result = (thread + i) % 2 == 0
                                ? harness.wallet.chargeUser(UserChargeRequest.of(id, 5).withIdempotencyKey("j" + thread + "-" + i))
                                : harness.wallet.charge(ada.accessToken(), 5);
                        charged += result.charged() ? 1 : 0;
                    }
                    return charged;
                }));
            }
            start.countDown();
            int charged = 0;
            for (Future<Integer> future : futures) {
                charged += future.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(charged).isEqualTo(100);
            assertThat(harness.balance(ada)).isZero();
            assertThat(harness.ledger(ada).stream().mapToLong(LedgerEntry::amountCents).sum()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
