package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.Allowance;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.User;
import dev.stripeflare.UserChargeRequest;
import dev.stripeflare.spi.TokenHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Allowances for visitors who have not paid (issue 13, ADR 33 addendum): the first charge of an
 * authentic token that opens no account opens one and gives it the period's allowance; 8 threads
 * doing so at midnight make one account and one allowance; forged, legacy, rotated-away and
 * deleted accounts' tokens get nothing and create nothing; charges by user id get the allowance
 * too; clearing cookies gets a new allowance (documented, shown here).
 */
class VisitorAllowanceTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-11-30T00:00:00Z");

    private final WebhookHarness harness = new WebhookHarness(builder -> builder
            .allowance(new Allowance(10, Allowance.Period.DAY)).allowanceForVisitors(true));

    @AfterEach
    void close() {
        harness.close();
    }

    private List<LedgerEntry> grantsOf(Session visitor) {
        return harness.ledger(visitor).stream().filter(e -> e.kind() == LedgerEntryKind.GRANT).toList();
    }

    @Test
    void aVisitorsFirstChargeOpensAnAccountWithTheAllowance() {
        Session visitor = harness.visitor();
        assertThat(visitor.registered()).isFalse();

        ChargeResult first = harness.wallet.charge(visitor.accessToken(), 3);
        ChargeResult second = harness.wallet.charge(visitor.accessToken(), 3);

        assertThat(first).isEqualTo(ChargeResult.charged(7));
        assertThat(second).isEqualTo(ChargeResult.charged(4));
        User user = harness.user(visitor);
        assertThat(user.balanceCents()).isEqualTo(4);
        assertThat(user.grantedCents()).isEqualTo(4);
        assertThat(user.paidCents()).isZero();
        assertThat(harness.wallet.session(visitor.accessToken()).registered()).isTrue();
        assertThat(harness.ledger(visitor)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntryKind.GRANT, LedgerEntryKind.CHARGE, LedgerEntryKind.CHARGE);
        assertThat(grantsOf(visitor)).singleElement()
                .satisfies(e -> assertThat(e.operationId()).isEqualTo("allowance:" + user.userId() + ":day:2026-11-29"));
    }

    @Test
    void beyondTheAllowanceAVisitorIsDeclinedAndThenPaysIntoTheSameAccount() {
        Session visitor = harness.visitor();
        harness.wallet.charge(visitor.accessToken(), 10);
        long id = harness.user(visitor).userId();

        assertThat(harness.wallet.charge(visitor.accessToken(), 1)).isEqualTo(ChargeResult.insufficientBalance(0));
        harness.deliver(checkoutCompleted(visitor, 1).json()); // 500 cents

        assertThat(harness.user(visitor).userId()).isEqualTo(id);
        assertThat(harness.wallet.charge(visitor.accessToken(), 1)).isEqualTo(ChargeResult.charged(499));
    }

    @Test
    void theAllowanceCannotBeClaimedTwiceInOnePeriod() {
        Session visitor = harness.visitor();
        for (int i = 0; i < 12; i++) {
            harness.wallet.charge(visitor.accessToken(), 1);
            harness.clock.advance(Duration.ofMinutes(30)); // 6 hours, still the same day
        }

        assertThat(grantsOf(visitor)).hasSize(1);
        assertThat(harness.user(visitor).balanceCents()).isZero();

        harness.clock.advance(Duration.between(harness.clock.instant(), MIDNIGHT));
        assertThat(harness.wallet.charge(visitor.accessToken(), 1)).isEqualTo(ChargeResult.charged(9));
        assertThat(grantsOf(visitor)).hasSize(2);
    }

    @Test
    void eightThreadsFirstChargingOneFreshTokenAtMidnightMakeOneAccountAndOneAllowance() throws Exception {
        harness.clock.advance(Duration.between(harness.clock.instant(), MIDNIGHT));
        for (int round = 0; round < 10; round++) {
            Session visitor = harness.visitor();
            List<ChargeResult> results = race(() -> harness.wallet.charge(visitor.accessToken(), 1));

            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(ChargeOutcome.CHARGED));
            assertThat(results.stream().map(ChargeResult::balanceCents).collect(Collectors.toSet()))
                    .as("each charge saw the one account's balance").hasSize(8);
            assertThat(grantsOf(visitor)).singleElement()
                    .satisfies(e -> assertThat(e.operationId()).endsWith(":day:2026-11-30"));
            assertThat(harness.user(visitor).balanceCents()).isEqualTo(2);
        }
    }

    @Test
    void forgedAndLegacyTokensOpenNoAccount() {
        Session visitor = harness.visitor();
        String token = visitor.accessToken();
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        long before = harness.recorded.changes();

        for (String presented : List.of(forged, "sf_" + "b".repeat(43), "forged-token", "")) {
            assertThat(harness.wallet.charge(presented, 1).outcome()).as(presented)
                    .isEqualTo(ChargeOutcome.NOT_REGISTERED);
            assertThat(harness.store.findByTokenHash(TokenHashes.of(presented))).as(presented).isEmpty();
        }
        assertThat(harness.recorded.changes()).as("no store step changed anything").isEqualTo(before);
    }

    @Test
    void theTokenOfADeletedAccountIsNotResurrected() {
        Session visitor = harness.visitor();
        harness.wallet.charge(visitor.accessToken(), 1);
        long id = harness.user(visitor).userId();
        assertThat(harness.wallet.deleteUser(id)).isTrue();
        long before = harness.recorded.changes();

        harness.clock.advance(Duration.ofDays(1)); // a new period: the allowance would be due again
        assertThat(harness.wallet.charge(visitor.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.lookupUser(visitor.accessToken())).isEmpty();
        assertThat(harness.wallet.findUser(id)).isEmpty();
        assertThat(harness.recorded.changes()).isEqualTo(before);
    }

    @Test
    void aRotatedAwayTokenOpensNoSecondAccount() {
        Session visitor = harness.visitor();
        harness.wallet.charge(visitor.accessToken(), 1);
        long id = harness.user(visitor).userId();
        String rotated = harness.wallet.rotateToken(visitor.accessToken());

        assertThat(harness.wallet.charge(visitor.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.charge(rotated, 1)).isEqualTo(ChargeResult.charged(8));
        assertThat(harness.wallet.lookupUser(rotated).orElseThrow().userId()).isEqualTo(id);
    }

    @Test
    void clearingCookiesGetsANewAccountAndANewAllowance() {
        Session first = harness.visitor();
        harness.wallet.charge(first.accessToken(), 10);
        Session afterClearingCookies = harness.visitor();

        assertThat(harness.wallet.charge(afterClearingCookies.accessToken(), 10)).isEqualTo(ChargeResult.charged(0));
        assertThat(harness.user(afterClearingCookies).userId()).isNotEqualTo(harness.user(first).userId());
    }

    @Test
    void aChargeByUserIdGetsTheAllowanceToo() {
        Session visitor = harness.visitor();
        harness.wallet.charge(visitor.accessToken(), 10);
        long id = harness.user(visitor).userId();
        harness.clock.advance(Duration.ofDays(1));

        ChargeResult byId = harness.wallet.chargeUser(UserChargeRequest.of(id, 4).withIdempotencyKey("job-1"));
        ChargeResult byToken = harness.wallet.charge(visitor.accessToken(), 4);

        assertThat(byId).isEqualTo(ChargeResult.charged(6));
        assertThat(byToken).isEqualTo(ChargeResult.charged(2));
        assertThat(grantsOf(visitor)).hasSize(2);
        assertThatThrownBy(() -> harness.wallet.chargeUser(id + 1_000, 1)).isInstanceOf(UnknownUserException.class);
    }

    @Test
    void eightThreadsChargingByUserIdAndByTokenAtMidnightGetOneAllowance() throws Exception {
        Session visitor = harness.visitor();
        harness.wallet.charge(visitor.accessToken(), 10);
        long id = harness.user(visitor).userId();
        harness.clock.advance(Duration.between(harness.clock.instant(), MIDNIGHT));
        int[] turn = {0};

        List<ChargeResult> results = race(() -> {
            boolean byId;
            synchronized (turn) {
                byId = turn[0]++ % 2 == 0;
            }
            return byId ? harness.wallet.chargeUser(id, 1) : harness.wallet.charge(visitor.accessToken(), 1);
        });

        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(ChargeOutcome.CHARGED));
        assertThat(grantsOf(visitor)).filteredOn(e -> e.operationId().endsWith(":day:2026-11-30")).hasSize(1);
        assertThat(harness.user(visitor).balanceCents()).isEqualTo(2);
    }

    @Test
    void visitorAllowancesNeedAnAllowance() {
        assertThatThrownBy(() -> TestWallets.builder(new dev.stripeflare.store.memory.InMemoryUserStore())
                .allowanceForVisitors(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allowanceForVisitors needs an allowance");
    }

    @Test
    void withoutTheOptInAVisitorGetsNothingAndNoAccount() {
        try (WebhookHarness plain = new WebhookHarness(builder -> builder
                .allowance(new Allowance(10, Allowance.Period.DAY)))) {
            Session visitor = plain.visitor();
            assertThat(plain.wallet.charge(visitor.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
            assertThat(plain.wallet.lookupUser(visitor.accessToken())).isEmpty();
            assertThat(plain.recorded.changes()).isZero();
        }
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
