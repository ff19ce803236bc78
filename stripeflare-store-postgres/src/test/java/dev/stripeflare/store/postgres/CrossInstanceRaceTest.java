package dev.stripeflare.store.postgres;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two application instances on one database: two stores on two separate pools, in the same
 * schema, driven by 8 threads split between them. No test relies on anything but the database
 * to coordinate the two. Checks invariants, never timing.
 */
@Timeout(300)
class CrossInstanceRaceTest {

    private static final int THREADS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    private static PostgresTestDatabase database;
    private PostgresUserStore a;
    private PostgresUserStore b;

    @BeforeAll
    static void connect() {
        database = PostgresTestDatabase.require();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void twoInstances() {
        String schema = database.newSchema();
        a = PostgresUserStore.of(database.pool(THREADS / 2), schema);
        b = PostgresUserStore.of(database.pool(THREADS / 2), schema);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** Instance A for even threads, B for odd ones. */
    private PostgresUserStore instance(int thread) {
        return thread % 2 == 0 ? a : b;
    }

    private static PaymentCredit credit(String operationId, String token, long cents, String card) {
        return new PaymentCredit(operationId, TokenHashes.of(token), cents, "pi_" + operationId,
                new PaymentProfile(null, null, null, card), null, null, null, T0);
    }

    @Test
    void sameCreditDeliveredToBothInstancesAtOnceCreditsOnce() {
        int rounds = 25;
        for (int round = 0; round < rounds; round++) {
            PaymentCredit payment = credit("checkout:cs_" + round, "tok-" + round, 700, "card-" + round);
            List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT, t -> instance(t).credit(payment));
            long applied = results.stream().filter(r -> r.status() == CreditResult.Status.APPLIED).count();
            assertThat(applied).as("round %d: deliveries applied", round).isEqualTo(1);
            assertThat(results).extracting(CreditResult::userId).as("round %d: one account", round).containsOnly(
                    results.get(0).userId());
            long userId = results.get(0).userId();
            assertThat(b.findById(userId).orElseThrow().balanceCents()).isEqualTo(700);
            assertThat(a.ledger(userId)).hasSize(1);
        }
    }

    @Test
    void firstPaymentsWithOneCardOnBothInstancesAtOnceEndAsOneAccount() {
        int rounds = 25;
        for (int round = 0; round < rounds; round++) {
            String card = "card-same-" + round;
            int r = round;
            List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT, t -> instance(t).credit(
                    credit("checkout:cs_" + r + "_" + t, "device-" + r + "-" + t, 100, card)));
            Set<Long> accounts = new HashSet<>();
            results.forEach(result -> accounts.add(result.userId()));
            assertThat(accounts).as("round %d: accounts for one card", round).hasSize(1);
            assertThat(results.stream().filter(x -> x.account() == CreditResult.Account.CREATED).count())
                    .as("round %d: accounts created", round).isEqualTo(1);
            long userId = accounts.iterator().next();
            assertThat(a.findById(userId).orElseThrow().balanceCents()).isEqualTo(100L * THREADS);
            assertThat(b.findByCardFingerprint(card).orElseThrow().userId()).isEqualTo(userId);
            LedgerAssertions.assertBalanceMatchesLedger(b, userId);
        }
    }

    @Test
    void refundRacingItsCreditOnTheOtherInstanceIsNeverLost() {
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            String op = "checkout:cs_r" + round;
            PaymentCredit payment = credit(op, "payer-" + round, 1_000, "card-r" + round);
            PaymentReversal refund = new PaymentReversal("refund:re_" + round, "pi_" + op, 300,
                    LedgerEntryKind.REFUND, null, T0);
            List<Object> results = ConcurrentRun.race(2, TIMEOUT, t -> t == 0 ? a.credit(payment) : b.reverse(refund));
            long userId = ((CreditResult) results.get(0)).userId();
            ReversalResult reversal = (ReversalResult) results.get(1);
            assertThat(reversal.status()).isIn(ReversalResult.Status.APPLIED, ReversalResult.Status.DEFERRED);
            assertThat(a.findById(userId).orElseThrow().balanceCents()).as("round %d: balance", round)
                    .isEqualTo(700);
            LedgerAssertions.assertBalanceMatchesLedger(a, userId);
        }
    }

    @Test
    void refundsOfOnePaymentRacingOnBothInstancesNeverTakeMoreThanItCredited() {
        int rounds = 15;
        for (int round = 0; round < rounds; round++) {
            String op = "checkout:cs_cap" + round;
            long userId = a.credit(credit(op, "capped-" + round, 1_000, "card-cap" + round)).userId();
            int r = round;
            List<ReversalResult> results = ConcurrentRun.race(THREADS, TIMEOUT, t -> instance(t).reverse(
                    new PaymentReversal("refund:re_cap" + r + "_" + t, "pi_" + op, 300, LedgerEntryKind.REFUND, null, T0)));
            long taken = results.stream().mapToLong(ReversalResult::movedCents).sum();
            assertThat(taken).as("round %d: cents taken back from a 1 000-cent payment", round).isEqualTo(1_000);
            assertThat(b.findById(userId).orElseThrow().balanceCents()).isZero();
            LedgerAssertions.assertBalanceMatchesLedger(a, userId);
        }
    }

    @Test
    void drainOfOneUserFromBothInstancesNeverGoesBelowZero() {
        long start = 2_000;
        long userId = a.credit(credit("checkout:cs_drain", "drained", start, "card-drain")).userId();
        Debit cent = new Debit(TokenHashes.of("drained"), 1, false, null, null, T0);
        List<int[]> counts = ConcurrentRun.race(THREADS, TIMEOUT, t -> {
            int charged = 0;
            int declined = 0;
            for (int i = 0; i < 400; i++) {
                ChargeResult result = instance(t).charge(cent);
                assertThat(result.balanceCents()).as("balance after a charge").isNotNegative();
                if (result.charged()) {
                    charged++;
                } else {
                    assertThat(result.outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
                    declined++;
                }
            }
            return new int[] {charged, declined};
        });
        int charged = counts.stream().mapToInt(c -> c[0]).sum();
        assertThat(charged).isEqualTo(start);
        assertThat(counts.stream().mapToInt(c -> c[1]).sum()).isEqualTo(THREADS * 400 - start);
        assertThat(b.findById(userId).orElseThrow().balanceCents()).isZero();
        assertThat(a.ledger(userId).stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE)).hasSize((int) start);
        LedgerAssertions.assertBalanceMatchesLedger(b, userId);
    }

    @Test
    void keyedDrainFromBothInstancesNeverGoesBelowZeroAndChargesEachKeyOnce() {
        long start = 600;
        long userId = a.credit(credit("checkout:cs_kdrain", "kdrained", start, "card-kdrain")).userId();
        // Every thread presents the same 1 000 keys: each key charges at most once, across instances.
        List<Integer> charged = ConcurrentRun.race(THREADS, TIMEOUT, t -> {
            int mine = 0;
            for (int i = 0; i < 1_000; i++) {
                ChargeResult result = instance(t).charge(new Debit(TokenHashes.of("kdrained"), 1, false,
                        "key-" + ((i + t * 125) % 1_000), null, T0));
                assertThat(result.balanceCents()).isNotNegative();
                if (result.outcome() == ChargeOutcome.CHARGED) {
                    mine++;
                }
            }
            return mine;
        });
        assertThat(charged.stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) start);
        List<LedgerEntry> ledger = a.ledger(userId);
        assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE)).hasSize((int) start);
        // The keys live once, in the key table (ADR 30): exactly the keys that charged replay.
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ChargeResult again = b.charge(new Debit(TokenHashes.of("kdrained"), 1, false, "key-" + i, null, T0));
            if (again.outcome() == ChargeOutcome.REPLAYED) {
                keys.add("key-" + i);
            }
        }
        assertThat(keys).hasSize((int) start);
        assertThat(b.findById(userId).orElseThrow().balanceCents()).isZero();
        LedgerAssertions.assertBalanceMatchesLedger(b, userId);
    }

    @Test
    void rotationsRacingChargesOnBothInstancesNeverLoseACharge() {
        long start = 1_000_000;
        long userId = a.credit(credit("checkout:cs_rot", "rot-0", start, "card-rot")).userId();
        AtomicReference<String> current = new AtomicReference<>("rot-0");
        AtomicInteger generation = new AtomicInteger();
        Set<String> chargedKeys = ConcurrentHashMap.newKeySet();
        AtomicInteger rotations = new AtomicInteger();
        Function<Integer, Object> worker = t -> {
            if (t < 2) {
                // Rotators, one per instance, both rotating whatever token is current.
                for (int i = 0; i < 60; i++) {
                    String old = current.get();
                    String next = "rot-" + generation.incrementAndGet();
                    if (instance(t).rotateToken(TokenHashes.of(old), TokenHashes.of(next))) {
                        rotations.incrementAndGet();
                        current.compareAndSet(old, next);
                    }
                }
                return null;
            }
            for (int i = 0; i < 300; i++) {
                String key = "charge-" + t + "-" + i;
                // A charge declined as NOT_REGISTERED (its token was rotated away) is retried
                // with the same key on the current token; it must charge exactly once.
                for (int attempt = 0; attempt < 1_000; attempt++) {
                    ChargeResult result = instance(t).charge(new Debit(TokenHashes.of(current.get()), 3, false,
                            key, null, T0));
                    if (result.charged()) {
                        chargedKeys.add(key);
                        break;
                    }
                    assertThat(result.outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
                }
            }
            return null;
        };
        ConcurrentRun.race(THREADS, TIMEOUT, worker::apply);

        assertThat(chargedKeys).hasSize(6 * 300);
        List<LedgerEntry> charges = a.ledger(userId).stream().filter(e -> e.kind() == LedgerEntryKind.CHARGE).toList();
        assertThat(charges).hasSize(6 * 300);
        // Each key charged exactly once: its replay on the current token answers REPLAYED.
        for (String key : chargedKeys) {
            assertThat(b.charge(new Debit(TokenHashes.of(current.get()), 3, false, key, null, T0)).outcome())
                    .as("replay of %s", key).isEqualTo(ChargeOutcome.REPLAYED);
        }
        assertThat(b.findById(userId).orElseThrow().balanceCents()).isEqualTo(start - 3L * 6 * 300);
        LedgerAssertions.assertBalanceMatchesLedger(a, userId);
        // Exactly one live token remains: the current one; every other generation opens nothing.
        List<String> live = new ArrayList<>();
        for (int g = 0; g <= generation.get(); g++) {
            if (b.findByTokenHash(TokenHashes.of("rot-" + g)).isPresent()) {
                live.add("rot-" + g);
            }
        }
        assertThat(live).containsExactly(current.get());
        assertThat(rotations.get()).isPositive();
    }
}
