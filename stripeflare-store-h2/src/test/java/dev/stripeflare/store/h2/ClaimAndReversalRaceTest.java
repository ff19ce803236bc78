package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.ConcurrentRun;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The other pairs of steps that meet on one checkout or one payment, raced by 8 threads behind a
 * start latch for many rounds, in memory and on file: a checkout's credit against its claims
 * (the paying browser's and strangers'), the reversals of one payment against each other (the
 * cap), a restoration against the reversal it undoes, and one browser claiming twice at once.
 * {@code -Dstripeflare.race.rounds=N} sets the rounds in memory (file mode runs a fifth).
 */
class ClaimAndReversalRaceTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = Math.max(1, Integer.getInteger("stripeflare.race.rounds", 300) / 3);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
    private static final PaymentProfile NO_ONE = PaymentProfile.empty();

    enum Mode { MEMORY, FILE }

    @TempDir
    Path dir;

    private H2UserStore open(Mode mode) {
        return mode == Mode.MEMORY ? H2UserStore.inMemory("pairs-" + UUID.randomUUID())
                : H2UserStore.file(dir.resolve("pairs"));
    }

    private static int rounds(Mode mode) {
        return mode == Mode.MEMORY ? ROUNDS : Math.max(1, ROUNDS / 5);
    }

    /**
     * A payer with an account pays on a new device: the checkout's credit, the paying browser's
     * claim and six strangers' claims of the same checkout id, at once. Whatever the order, the
     * money lands in the payer's account once, no stranger's token opens anything, and the
     * paying browser ends up in the account (at the latest when it returns once more, if a
     * stranger's claim got there before it and the credit).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void creditAndClaimsOfOneCheckoutLetOnlyThePayingBrowserIn(Mode mode) {
        List<String> broken = new ArrayList<>();
        try (H2UserStore store = open(mode)) {
            for (int round = 0; round < rounds(mode); round++) {
                PaymentProfile card = new PaymentProfile(null, null, null, "fp-" + round);
                long payer = store.credit(new PaymentCredit("first-" + round, TokenHashes.of("phone-" + round), 100,
                        null, card, null, null, null, T0)).userId();
                String checkout = "cs_" + round;
                String device = "laptop-" + round;
                int r = round;
                List<Object> results = ConcurrentRun.race(THREADS, ROUND_TIMEOUT, t -> switch (t) {
                    case 0 -> store.credit(new PaymentCredit("checkout-" + r, TokenHashes.of(device), 300,
                            "pi_" + r, card, checkout, T0.plusSeconds(600), null, T0));
                    case 1 -> store.claimCheckout(new CheckoutClaim(checkout, TokenHashes.of(device), T0,
                            T0.plusSeconds(600)));
                    default -> store.claimCheckout(new CheckoutClaim(checkout, TokenHashes.of("stranger-" + r + "-" + t),
                            T0, T0.plusSeconds(600)));
                });
                CreditResult credit = (CreditResult) results.get(0);
                if (credit.userId() != payer) {
                    broken.add("round " + round + ": the checkout paid into " + credit.userId() + ", not " + payer);
                }
                if (store.findByTokenHash(TokenHashes.of(device)).isEmpty()) {
                    ClaimResult again = store.claimCheckout(new CheckoutClaim(checkout, TokenHashes.of(device),
                            T0.plusSeconds(1), T0.plusSeconds(600)));
                    if (again.status() != ClaimResult.Status.LINKED) {
                        broken.add("round " + round + ": the paying browser's return answered " + again.status());
                    }
                }
                assertThat(store.findByTokenHash(TokenHashes.of(device)).orElseThrow().userId()).isEqualTo(payer);
                for (int t = 2; t < THREADS; t++) {
                    if (store.findByTokenHash(TokenHashes.of("stranger-" + round + "-" + t)).isPresent()) {
                        broken.add("round " + round + ": stranger " + t + " got in");
                    }
                }
                assertThat(store.findById(payer).orElseThrow().balanceCents()).isEqualTo(400);
                LedgerAssertions.assertBalanceMatchesLedger(store, payer);
            }
        }
        assertThat(broken).as("rounds where money or access went astray (%s mode)", mode).isEmpty();
    }

    /** Eight reversals of one 500-cent payment at once, asking 1 200+ in all, take exactly 500. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void concurrentReversalsOfOnePaymentNeverTakeMoreThanItCredited(Mode mode) {
        List<String> broken = new ArrayList<>();
        try (H2UserStore store = open(mode)) {
            for (int round = 0; round < rounds(mode); round++) {
                long id = store.credit(new PaymentCredit("pay-" + round, TokenHashes.of("t-" + round), 500,
                        "pi_" + round, NO_ONE, null, null, null, T0)).userId();
                int r = round;
                List<ReversalResult> results = ConcurrentRun.race(THREADS, ROUND_TIMEOUT, t -> store.reverse(
                        new PaymentReversal("rev-" + r + "-" + t, "pi_" + r, t % 2 == 0 ? 150 : 400,
                                t % 2 == 0 ? 0 : 1_000, t % 3 == 0 ? LedgerEntryKind.DISPUTE : LedgerEntryKind.REFUND,
                                null, T0)));
                long moved = results.stream().mapToLong(ReversalResult::movedCents).sum();
                long balance = store.findById(id).orElseThrow().balanceCents();
                if (moved != 500 || balance != 0) {
                    broken.add("round " + round + ": reversals took " + moved + ", balance " + balance);
                }
                assertThat(results).extracting(ReversalResult::status).containsOnly(ReversalResult.Status.APPLIED);
                LedgerAssertions.assertBalanceMatchesLedger(store, id);
            }
        }
        assertThat(broken).as("rounds where reversals passed the cap (%s mode)", mode).isEmpty();
    }

    /**
     * Four payments per round, each with a refund and the refund's failure (its restoration)
     * racing: whichever comes first, the account ends with what the payment credited, and both
     * are recorded exactly once.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void restorationRacingItsReversalLeavesThePaymentWhole(Mode mode) {
        List<String> broken = new ArrayList<>();
        try (H2UserStore store = open(mode)) {
            for (int round = 0; round < rounds(mode); round++) {
                long[] ids = new long[THREADS / 2];
                for (int p = 0; p < ids.length; p++) {
                    ids[p] = store.credit(new PaymentCredit("pay-" + round + "-" + p,
                            TokenHashes.of("t-" + round + "-" + p), 500, "pi_" + round + "-" + p, NO_ONE, null, null,
                            null, T0)).userId();
                }
                int r = round;
                ConcurrentRun.race(THREADS, ROUND_TIMEOUT, t -> {
                    String payment = r + "-" + t / 2;
                    return t % 2 == 0
                            ? store.reverse(new PaymentReversal("refund-" + payment, "pi_" + payment, 300,
                                    LedgerEntryKind.REFUND, null, T0))
                            : store.restore(new PaymentRestoration("failed-" + payment, "refund-" + payment,
                                    LedgerEntryKind.REFUND_FAILED, null, T0));
                });
                for (int p = 0; p < ids.length; p++) {
                    String payment = round + "-" + p;
                    long balance = store.findById(ids[p]).orElseThrow().balanceCents();
                    if (balance != 500) {
                        broken.add("round " + round + ": payment " + p + " left balance " + balance);
                    }
                    LedgerAssertions.assertBalanceMatchesLedger(store, ids[p]);
                    assertThat(store.reverse(new PaymentReversal("refund-" + payment, "pi_" + payment, 300,
                            LedgerEntryKind.REFUND, null, T0)).status()).isEqualTo(ReversalResult.Status.DUPLICATE);
                    assertThat(store.restore(new PaymentRestoration("failed-again-" + payment, "refund-" + payment,
                            LedgerEntryKind.REFUND_FAILED, null, T0)).status())
                            .isEqualTo(ReversalResult.Status.DUPLICATE);
                }
            }
        }
        assertThat(broken).as("rounds where a restoration and its reversal did not cancel out (%s mode)", mode)
                .isEmpty();
    }

    /** The paying browser's claim sent eight times at once links once; the rest see it linked. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void oneBrowserClaimingAtOnceLinksOnce(Mode mode) {
        try (H2UserStore store = open(mode)) {
            for (int round = 0; round < rounds(mode); round++) {
                PaymentProfile card = new PaymentProfile(null, null, null, "fp-" + round);
                long payer = store.credit(new PaymentCredit("first-" + round, TokenHashes.of("phone-" + round), 100,
                        null, card, null, null, null, T0)).userId();
                store.credit(new PaymentCredit("checkout-" + round, TokenHashes.of("laptop-" + round), 300,
                        "pi_" + round, card, "cs_" + round, T0.plusSeconds(600), null, T0));
                int r = round;
                List<ClaimResult> results = ConcurrentRun.race(THREADS, ROUND_TIMEOUT, t -> store.claimCheckout(
                        new CheckoutClaim("cs_" + r, TokenHashes.of("laptop-" + r), T0, T0.plusSeconds(600))));
                assertThat(results).filteredOn(c -> c.status() == ClaimResult.Status.LINKED).hasSize(1);
                assertThat(results).extracting(ClaimResult::status)
                        .containsOnly(ClaimResult.Status.LINKED, ClaimResult.Status.ALREADY_LINKED);
                assertThat(store.findByTokenHash(TokenHashes.of("laptop-" + round)).orElseThrow().userId())
                        .isEqualTo(payer);
            }
        }
    }
}
