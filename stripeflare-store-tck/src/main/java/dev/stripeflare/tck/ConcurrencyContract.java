package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads at once, released by a start gate: money is conserved exactly, never overdrawn
 * without permission, and every operation id applies once. Checks invariants, never timing; a
 * deadlock fails the test through its timeout.
 */
@Timeout(120)
abstract class ConcurrencyContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int CHARGES_PER_THREAD = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void concurrentChargesOnOneAccountNeverOverdrawAndConserveMoney() {
        long alice = register("alice", 50_000);
        Debit oneCent = debit("alice", 1);

        List<Map<ChargeOutcome, Integer>> counts = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
            Map<ChargeOutcome, Integer> outcomes = new EnumMap<>(ChargeOutcome.class);
            for (int i = 0; i < CHARGES_PER_THREAD; i++) {
                ChargeResult result = charge(oneCent);
                if (result.balanceCents() < 0) {
                    throw new AssertionError("overdrawn: " + result);
                }
                outcomes.merge(result.outcome(), 1, Integer::sum);
            }
            return outcomes;
        });

        Map<ChargeOutcome, Integer> total = sum(counts);
        assertThat(total.getOrDefault(ChargeOutcome.CHARGED, 0)).isEqualTo(50_000);
        assertThat(total.getOrDefault(ChargeOutcome.INSUFFICIENT_BALANCE, 0))
                .isEqualTo(THREADS * CHARGES_PER_THREAD - 50_000);
        assertThat(balanceOf(alice)).isZero();
        List<LedgerEntry> ledger = ledgerOf(alice);
        assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE).count()).isEqualTo(50_000);
        assertLedgerConsistent(alice);
    }

    @Test
    void concurrentChargesAcrossManyAccountsConserveMoney() {
        int accounts = 100;
        long[] userIds = new long[accounts];
        for (int u = 0; u < accounts; u++) {
            userIds[u] = register("user-" + u, 500);
        }
        Debit[] debits = new Debit[accounts];
        for (int u = 0; u < accounts; u++) {
            debits[u] = debit("user-" + u, 1);
        }

        // 80 000 one-cent charges spread evenly: 800 per account, of which 500 can succeed.
        List<Map<ChargeOutcome, Integer>> counts = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
            Map<ChargeOutcome, Integer> outcomes = new EnumMap<>(ChargeOutcome.class);
            for (int i = 0; i < CHARGES_PER_THREAD; i++) {
                ChargeResult result = charge(debits[(i + thread * 13) % accounts]);
                if (result.balanceCents() < 0) {
                    throw new AssertionError("overdrawn: " + result);
                }
                outcomes.merge(result.outcome(), 1, Integer::sum);
            }
            return outcomes;
        });

        assertThat(sum(counts).getOrDefault(ChargeOutcome.CHARGED, 0)).isEqualTo(accounts * 500);
        for (long userId : userIds) {
            assertThat(balanceOf(userId)).as("balance of %d", userId).isZero();
            assertThat(ledgerOf(userId)).hasSize(501);
            assertLedgerConsistent(userId);
        }
    }

    @Test
    void chargesRacingTopUpsConserveMoney() {
        long alice = register("alice", 1_000);
        int topUps = 200;

        // Thread 0 tops up 200 × 100 cents while the others charge one cent at a time.
        List<Integer> charged = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
            if (thread == 0) {
                for (int i = 0; i < topUps; i++) {
                    deliver(credit("checkout:top-up-" + i, "alice", 100));
                }
                return 0;
            }
            int n = 0;
            for (int i = 0; i < 5_000; i++) {
                ChargeResult result = charge(debit("alice", 1));
                if (result.balanceCents() < 0) {
                    throw new AssertionError("overdrawn: " + result);
                }
                n += result.charged() ? 1 : 0;
            }
            return n;
        });

        long totalCharged = charged.stream().mapToLong(Integer::longValue).sum();
        assertThat(balanceOf(alice)).isEqualTo(1_000 + topUps * 100L - totalCharged);
        assertThat(ledgerOf(alice)).hasSize((int) (1 + topUps + totalCharged));
        assertLedgerConsistent(alice);
    }

    @Test
    void chargesRacingTokenRotationNeitherLoseNorDoubleMoney() {
        long alice = register("alice", 1_000_000);

        // Thread 0 rotates alice -> alice-1 -> ... while the others charge through the old and
        // the newest hashes; a charge either debits the one account or answers NOT_REGISTERED.
        List<Integer> charged = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
            if (thread == 0) {
                String current = "alice";
                for (int i = 1; i <= 200; i++) {
                    store.rotateToken(TokenHashes.of(current), TokenHashes.of("alice-" + i));
                    current = "alice-" + i;
                }
                return 0;
            }
            int n = 0;
            for (int i = 0; i < 2_000; i++) {
                String token = i % 2 == 0 ? "alice" : "alice-" + (i % 200 + 1);
                ChargeResult result = charge(debit(token, 1));
                n += result.charged() ? 1 : 0;
            }
            return n;
        });

        long totalCharged = charged.stream().mapToLong(Integer::longValue).sum();
        assertThat(store.findByTokenHash(TokenHashes.of("alice-200"))).isPresent();
        assertThat(balanceOf(alice)).isEqualTo(1_000_000 - totalCharged);
        assertThat(ledgerOf(alice)).hasSize((int) (1 + totalCharged));
        assertLedgerConsistent(alice);
    }

    @Test
    void concurrentDeliveriesOfOneCreditApplyItOnce() {
        List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT,
                thread -> deliver(credit("checkout:cs_1", "alice", 700)));

        assertThat(results).filteredOn(r -> r.status() == CreditResult.Status.APPLIED).hasSize(1);
        assertThat(results).extracting(CreditResult::userId).containsOnly(results.get(0).userId());
        long alice = results.get(0).userId();
        assertThat(balanceOf(alice)).isEqualTo(700);
        assertThat(ledgerOf(alice)).hasSize(1);
    }

    @Test
    void concurrentFirstCreditsToOneTokenCreateOneAccount() {
        List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT,
                thread -> deliver(credit("checkout:cs_" + thread, "alice", 100)));

        assertThat(results).extracting(CreditResult::status).containsOnly(CreditResult.Status.APPLIED);
        assertThat(results).filteredOn(r -> r.account() == CreditResult.Account.CREATED).hasSize(1);
        assertThat(results).extracting(CreditResult::userId).containsOnly(results.get(0).userId());
        long alice = results.get(0).userId();
        assertThat(balanceOf(alice)).isEqualTo(THREADS * 100L);
        assertThat(ledgerOf(alice)).hasSize(THREADS);
    }

    @Test
    void concurrentChargesUnderOneIdempotencyKeyChargeOnce() {
        long alice = register("alice", 1_000);

        List<ChargeResult> results = ConcurrentRun.race(THREADS, TIMEOUT,
                thread -> charge(debit("alice", 250, "req-1")));

        assertThat(results).filteredOn(r -> r.outcome() == ChargeOutcome.CHARGED).hasSize(1);
        assertThat(results).extracting(ChargeResult::outcome)
                .containsOnly(ChargeOutcome.CHARGED, ChargeOutcome.REPLAYED);
        assertThat(results).extracting(ChargeResult::balanceCents).containsOnly(750L);
        assertThat(balanceOf(alice)).isEqualTo(750);
        assertThat(ledgerOf(alice)).hasSize(2);
    }

    private static Map<ChargeOutcome, Integer> sum(List<Map<ChargeOutcome, Integer>> counts) {
        return counts.stream().flatMap(m -> m.entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Integer::sum,
                        () -> new EnumMap<>(ChargeOutcome.class)));
    }
}
