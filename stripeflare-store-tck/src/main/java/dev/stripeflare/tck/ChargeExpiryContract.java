package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.TokenHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Expiries a charge applies are reported (issue 13, ADR 33 addendum): {@code charge(Debit,
 * Consumer)} hands over each grant it expired, once, and only if the expiry stayed applied; with
 * the sweep and reads, every expiry is reported by exactly one step, so the wallet raises exactly
 * one event for it.
 */
@Timeout(120)
abstract class ChargeExpiryContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private void give(long userId, long cents, String operationId, Instant expiresAt) {
        store.grant(new CreditGrant(userId, cents, operationId, "promo", expiresAt, T0));
    }

    private ChargeResult charge(Debit debit, List<ExpiredGrant> reported) {
        return store.charge(debit, reported::add);
    }

    private static Debit byToken(String token, long cents, Instant at) {
        return Debit.ofTokenHash(TokenHashes.of(token), cents, false, null, null, at);
    }

    private Grant grantOf(long userId, String operationId) {
        return store.grants(userId).stream().filter(g -> g.operationId().equals(operationId)).findFirst()
                .orElseThrow();
    }

    @Test
    void aChargeThatExpiresAGrantReportsItOnce() {
        long alice = register("alice", 100);
        give(alice, 50, "g1", at(60));
        List<ExpiredGrant> reported = new ArrayList<>();

        ChargeResult result = charge(byToken("alice", 30, at(120)), reported);

        assertThat(result).isEqualTo(ChargeResult.charged(70));
        assertThat(reported).singleElement().satisfies(e -> {
            assertThat(e.userId()).isEqualTo(alice);
            assertThat(e.operationId()).isEqualTo("g1");
            assertThat(e.expiredCents()).isEqualTo(50);
            assertThat(e.balanceAfterCents()).isEqualTo(100);
        });
        assertThat(store.expireGrants(alice, at(200))).isEmpty();
        List<ExpiredGrant> again = new ArrayList<>();
        charge(byToken("alice", 1, at(240)), again);
        assertThat(again).isEmpty();
        assertThat(grantOf(alice, "g1").status()).isEqualTo(Grant.Status.EXPIRED);
    }

    @Test
    void aChargeByUserIdReportsItsExpiriesToo() {
        long alice = register("alice", 100);
        give(alice, 50, "g1", at(60));
        give(alice, 20, "g2", at(90));
        give(alice, 5, "g3", at(10_000));
        List<ExpiredGrant> reported = new ArrayList<>();

        ChargeResult result = charge(Debit.ofUser(alice, 10, false, "job-1", null, at(120)), reported);

        assertThat(result).isEqualTo(ChargeResult.charged(95));
        assertThat(reported).extracting(ExpiredGrant::operationId).containsExactly("g1", "g2");
        assertThat(grantOf(alice, "g3").remainingCents()).isZero();
    }

    @Test
    void aChargeWithoutDueGrantsReportsNothing() {
        long alice = register("alice", 100);
        give(alice, 50, "g1", at(600));
        List<ExpiredGrant> reported = new ArrayList<>();

        charge(byToken("alice", 60, at(120)), reported);
        charge(byToken("nobody", 1, at(120)), reported);
        charge(Debit.ofUser(alice + 1_000, 1, false, null, null, at(120)), reported);

        assertThat(reported).isEmpty();
        assertThat(grantOf(alice, "g1").spentCents()).isEqualTo(50);
    }

    @Test
    void aDeclinedChargeReportsAnExpiryExactlyWhenItStayedApplied() {
        long alice = register("alice", 100);
        give(alice, 50, "g1", at(60));
        List<ExpiredGrant> reported = new ArrayList<>();

        ChargeResult declined = charge(Debit.ofTokenHash(TokenHashes.of("alice"), 1_000, false, "k1", null, at(120)),
                reported);
        List<ExpiredGrant> swept = store.expireGrants(alice, at(130));

        assertThat(declined.outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertThat(reported.size() + swept.size()).as("reports of g1's expiry").isEqualTo(1);
        assertThat(grantOf(alice, "g1").status()).isEqualTo(Grant.Status.EXPIRED);
        assertThat(ledgerOf(alice).stream().filter(e -> e.kind() == LedgerEntryKind.GRANT_EXPIRED)).hasSize(1);
    }

    @Test
    void everyExpiryIsReportedByExactlyOneOfManyChargesAndSweeps() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "racer-" + round;
            long id = register(token, 1_000);
            List<String> due = List.of("r" + round + "-a", "r" + round + "-b", "r" + round + "-c");
            give(id, 30, due.get(0), at(60));
            give(id, 20, due.get(1), at(61));
            give(id, 10, due.get(2), at(62));
            give(id, 40, "r" + round + "-later", at(100_000));
            List<ExpiredGrant> reports = Collections.synchronizedList(new ArrayList<>());

            ConcurrentRun.race(THREADS, TIMEOUT, i -> {
                Instant when = at(120 + i);
                switch (i % 4) {
                    case 0 -> reports.addAll(store.expireGrants(id, when));
                    case 1 -> charge(Debit.ofUser(id, 7, false, null, null, when), reports);
                    case 2 -> charge(Debit.ofTokenHash(TokenHashes.of(token), 5, false, "key-" + i, null, when),
                            reports);
                    default -> charge(byToken(token, 3, when), reports);
                }
                return null;
            });

            Map<String, Long> count = reports.stream()
                    .collect(Collectors.groupingBy(ExpiredGrant::operationId, Collectors.counting()));
            assertThat(count).as("reports per grant, round %d", round)
                    .isEqualTo(due.stream().collect(Collectors.toMap(Function.identity(), op -> 1L)));
            Map<String, Long> expiredInLedger = ledgerOf(id).stream()
                    .filter(e -> e.kind() == LedgerEntryKind.GRANT_EXPIRED)
                    .collect(Collectors.toMap(LedgerEntry::operationId, e -> -e.amountCents()));
            Map<String, Long> expiredReported = reports.stream().filter(e -> e.expiredCents() > 0)
                    .collect(Collectors.toMap(ExpiredGrant::operationId, ExpiredGrant::expiredCents));
            assertThat(expiredReported).as("reported cents vs ledger, round %d", round).isEqualTo(expiredInLedger);
            GrantAssertions.assertGrantsConsistent(store, id);
        }
    }
}
