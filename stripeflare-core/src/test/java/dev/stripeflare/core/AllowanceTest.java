package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.Allowance;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.User;
import java.time.Duration;
import java.time.Instant;
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
 * Allowances (issue 13's free tier, ADR 33): given at an account's first charge in each period,
 * spent before paid credit, expiring at the period's end, exactly once per period from 8 threads
 * at the boundary; nothing for a token that opens no account.
 */
class AllowanceTest {

    private final WebhookHarness harness = new WebhookHarness(builder -> builder
            .allowance(new Allowance(10, Allowance.Period.DAY)));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paid() {
        harness.deliver(checkoutCompleted(ada, 1).json()); // 500 cents
        return harness.user(ada).userId();
    }

    private List<LedgerEntry> allowanceGrants() {
        return harness.ledger(ada).stream().filter(e -> e.kind() == LedgerEntryKind.GRANT).toList();
    }

    @Test
    void theFirstChargeOfTheDayGetsTheAllowanceAndSpendsItFirst() {
        paid();

        ChargeResult first = harness.wallet.charge(ada.accessToken(), 4);
        harness.wallet.charge(ada.accessToken(), 4);

        assertThat(first.outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(allowanceGrants()).singleElement().satisfies(e -> assertThat(e.amountCents()).isEqualTo(10));
        User user = harness.user(ada);
        assertThat(user.paidCents()).as("the allowance paid for both").isEqualTo(500);
        assertThat(user.grantedCents()).isEqualTo(2);
        assertThat(user.nextGrantExpiry()).contains(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void theNextDayBringsANewAllowanceAndYesterdaysRestExpires() {
        paid();
        harness.wallet.charge(ada.accessToken(), 4);

        harness.clock.advance(Duration.ofDays(1));
        harness.wallet.charge(ada.accessToken(), 4);

        assertThat(allowanceGrants()).hasSize(2);
        assertThat(harness.ledger(ada)).filteredOn(e -> e.kind() == LedgerEntryKind.GRANT_EXPIRED).singleElement()
                .satisfies(e -> assertThat(e.amountCents()).isEqualTo(-6));
        assertThat(harness.user(ada).paidCents()).isEqualTo(500);
        assertThat(harness.user(ada).grantedCents()).isEqualTo(6);
    }

    @Test
    void eightThreadsChargingAtThePeriodsStartGetOneAllowance() throws Exception {
        paid();
        // Move the clock to the next midnight exactly: the new period's first instant.
        harness.clock.advance(Duration.between(harness.clock.instant(), Instant.parse("2026-11-30T00:00:00Z")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ChargeResult>> charges = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                charges.add(pool.submit(() -> {
                    start.await();
                    return harness.wallet.charge(ada.accessToken(), 1);
                }));
            }
            start.countDown();
            for (Future<ChargeResult> charge : charges) {
                assertThat(charge.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(ChargeOutcome.CHARGED);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(allowanceGrants()).singleElement()
                .satisfies(e -> assertThat(e.operationId()).endsWith(":day:2026-11-30"));
        assertThat(harness.user(ada).grantedCents()).isEqualTo(2);
        assertThat(harness.user(ada).paidCents()).isEqualTo(500);
    }

    @Test
    void aVisitorOrAForgedTokenGetsNoAllowanceAndNoAccount() {
        Session visitor = harness.visitor();

        assertThat(harness.wallet.charge(visitor.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(harness.wallet.charge("forged-token", 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);

        assertThat(harness.wallet.lookupUser(visitor.accessToken())).isEmpty();
        assertThat(harness.recorded.changes()).as("no store step changed anything").isZero();
    }

    @Test
    void periodsAreCalendarPeriodsInUtc() {
        Instant wednesday = Instant.parse("2026-11-25T15:30:00Z");
        assertThat(new Allowance(1, Allowance.Period.DAY).periodEnd(wednesday))
                .isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(new Allowance(1, Allowance.Period.WEEK).periodStart(wednesday))
                .isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(new Allowance(1, Allowance.Period.WEEK).periodEnd(wednesday))
                .isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(new Allowance(1, Allowance.Period.MONTH).periodEnd(wednesday))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> new Allowance(0, Allowance.Period.DAY)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> new Allowance(-5, Allowance.Period.DAY)).isInstanceOf(InvalidAmountException.class);
    }
}
