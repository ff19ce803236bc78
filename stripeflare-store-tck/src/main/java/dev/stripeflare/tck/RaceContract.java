package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.card;
import static dev.stripeflare.tck.StoreFixtures.checkoutCredit;
import static dev.stripeflare.tck.StoreFixtures.claim;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.dispute;
import static dev.stripeflare.tck.StoreFixtures.disputeWon;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static dev.stripeflare.tck.StoreFixtures.verifiedEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pairs of steps of issue 9 that meet on one account, token or payment, each run by 8
 * threads behind a start gate for many rounds: the outcome is one of the serial outcomes, never
 * a mix. Checks invariants, never timing.
 */
@Timeout(120)
abstract class RaceContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int ROUNDS = 25;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Optional<Long> accountOf(String token) {
        return store.findByTokenHash(TokenHashes.of(token)).map(UserRecord::userId);
    }

    /**
     * Vouched credits (no checkout id: the caller vouches for the payer) record the card as they
     * create the account, so the others find it. (Checkout credits record it only when the
     * creating browser returns, so two first checkouts at once may create two accounts: the
     * vouching rule of {@link dev.stripeflare.spi.UserStore#credit}.)
     */
    @Test
    void firstPaymentsWithOneCardAtOnceEndInOneAccount() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            PaymentProfile sameCard = card("fp_" + r);
            List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT, thread ->
                    deliver(credit("checkout:" + r + "-" + thread, r + "-device-" + thread, 100, sameCard, T0)));

            assertThat(results).extracting(CreditResult::userId).as("round %d", round).containsOnly(results.get(0).userId());
            assertThat(results).filteredOn(c -> c.account() == CreditResult.Account.CREATED).as("round %d", round).hasSize(1);
            assertThat(results).filteredOn(c -> c.account() == CreditResult.Account.IDENTIFIED).hasSize(THREADS - 1);
            long account = results.get(0).userId();
            assertThat(balanceOf(account)).isEqualTo(THREADS * 100L);
            assertLedgerConsistent(account);
        }
    }

    @Test
    void firstPaymentsWithOneVerifiedEmailAtOnceEndInOneAccount() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            List<CreditResult> results = ConcurrentRun.race(THREADS, TIMEOUT, thread ->
                    deliver(credit("checkout:" + r + "-" + thread, r + "-device-" + thread, 100,
                            verifiedEmail(thread % 2 == 0 ? r + "@example.com" : r.toUpperCase() + "@EXAMPLE.com"), T0)));

            assertThat(results).extracting(CreditResult::userId).as("round %d", round).containsOnly(results.get(0).userId());
            assertThat(balanceOf(results.get(0).userId())).isEqualTo(THREADS * 100L);
        }
    }

    @Test
    void ofRotationsOfOneTokenAtOnceExactlyOneSucceeds() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = register(r, 1_000);
            List<Boolean> rotated = ConcurrentRun.race(THREADS, TIMEOUT, thread ->
                    store.rotateToken(TokenHashes.of(r), TokenHashes.of(r + "-new-" + thread)));

            assertThat(rotated).as("round %d", round).containsOnlyOnce(true);
            int winner = rotated.indexOf(true);
            for (int thread = 0; thread < THREADS; thread++) {
                assertThat(accountOf(r + "-new-" + thread)).as("round %d, thread %d", round, thread)
                        .isEqualTo(thread == winner ? Optional.of(account) : Optional.empty());
            }
            assertThat(accountOf(r)).isEmpty();
        }
    }

    @Test
    void rotationRacingDeletionLeavesNoTokenOpeningTheDeletedAccount() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = register(r, 1_000);
            List<Boolean> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                if (thread == 0) {
                    return store.deleteUser(account);
                }
                try {
                    return store.rotateToken(TokenHashes.of(r), TokenHashes.of(r + "-new-" + thread));
                } catch (StoreException e) {
                    throw new AssertionError("rotation racing deletion threw", e);
                }
            });

            assertThat(results.get(0)).as("round %d: deleted", round).isTrue();
            assertThat(results.subList(1, THREADS)).as("round %d: rotations", round).filteredOn(b -> b).hasSizeLessThanOrEqualTo(1);
            assertThat(store.findById(account)).isEmpty();
            assertThat(accountOf(r)).isEmpty();
            for (int thread = 1; thread < THREADS; thread++) {
                assertThat(accountOf(r + "-new-" + thread)).as("round %d, thread %d", round, thread).isEmpty();
                // A later payment on any of the hashes must not fail: it lands in a new account,
                // which the hash opens only if it never belonged to the deleted one.
                CreditResult paid = deliver(credit("checkout:" + r + "-after-" + thread, r + "-new-" + thread, 1));
                assertThat(paid.status()).isEqualTo(CreditResult.Status.APPLIED);
                assertThat(paid.userId()).isNotEqualTo(account);
                assertThat(accountOf(r + "-new-" + thread)).as("round %d, thread %d after paying", round, thread)
                        .isEqualTo(results.get(thread) ? Optional.empty() : Optional.of(paid.userId()));
            }
        }
    }

    @Test
    void creditRacingItsReversalNeverLosesTheReversal() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            // Threads 0-3 credit four payments, threads 4-7 refund 300 of each at the same moment.
            List<Long> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                String payment = "checkout:" + r + "-" + (thread % 4);
                if (thread < 4) {
                    return deliver(credit(payment, r + "-payer-" + thread, 1_000)).userId();
                }
                ReversalResult result = store.reverse(refund("refund:" + r + "-" + (thread % 4), payment, 300));
                assertThat(result.status()).isIn(ReversalResult.Status.APPLIED, ReversalResult.Status.DEFERRED);
                return -1L;
            });

            for (int payment = 0; payment < 4; payment++) {
                long account = results.get(payment);
                assertThat(balanceOf(account)).as("round %d, payment %d", round, payment).isEqualTo(700);
                assertThat(ledgerOf(account)).extracting(LedgerEntry::operationId)
                        .containsExactly("checkout:" + r + "-" + payment, "refund:" + r + "-" + payment);
                assertLedgerConsistent(account);
            }
        }
    }

    @Test
    void reversalsOfOnePaymentAtOnceNeverTakeMoreThanItCredited() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = deliver(credit("checkout:" + r, r, 1_000)).userId();
            List<Long> moved = ConcurrentRun.race(THREADS, TIMEOUT, thread -> store.reverse(thread % 2 == 0
                    ? refund("refund:" + r + "-" + thread, "checkout:" + r, 300)
                    : dispute("dispute:" + r + "-" + thread, "checkout:" + r, 300)).movedCents());

            assertThat(moved.stream().mapToLong(Long::longValue).sum()).as("round %d", round).isEqualTo(1_000);
            assertThat(balanceOf(account)).isZero();
            assertLedgerConsistent(account);
        }
    }

    @Test
    void restorationRacingItsReversalGivesBackExactlyWhatWasTaken() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = deliver(credit("checkout:" + r, r, 1_000)).userId();
            // Threads 0-3 dispute, threads 4-7 restore the same disputes, pairwise at once.
            List<ReversalResult> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> thread < 4
                    ? store.reverse(dispute("dispute:" + r + "-" + thread, "checkout:" + r, 100))
                    : store.restore(disputeWon("won:" + r + "-" + (thread % 4), "dispute:" + r + "-" + (thread % 4))));

            for (int pair = 0; pair < 4; pair++) {
                ReversalResult reversed = results.get(pair);
                ReversalResult restored = results.get(pair + 4);
                if (restored.status() == ReversalResult.Status.CANCELLED) {
                    assertThat(reversed.status()).as("round %d: a cancelled dispute arrives late", round)
                            .isEqualTo(ReversalResult.Status.DUPLICATE);
                } else {
                    assertThat(restored.movedCents()).as("round %d: restored what was taken", round)
                            .isEqualTo(reversed.movedCents());
                }
            }
            assertThat(balanceOf(account)).as("round %d", round).isEqualTo(1_000);
            assertLedgerConsistent(account);
        }
    }

    @Test
    void claimRacingItsCreditLinksTheTokenOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = registerWithCard(r, 100, "fp_" + r);
            // Four checkouts paid with the account's card on four new devices; each device's claim
            // races its checkout's credit.
            List<String> outcomes = ConcurrentRun.race(THREADS, TIMEOUT, thread -> {
                String device = r + "-device-" + (thread % 4);
                String checkout = "cs_" + r + "-" + (thread % 4);
                if (thread < 4) {
                    return deliver(checkoutCredit("checkout:" + checkout, device, 100, card("fp_" + r), checkout, T0))
                            .account().name();
                }
                return store.claimCheckout(claim(checkout, device, at(1))).status().name();
            });

            for (int pair = 0; pair < 4; pair++) {
                String credit = outcomes.get(pair);
                String claimed = outcomes.get(pair + 4);
                assertThat(credit + "/" + claimed).as("round %d, pair %d", round, pair)
                        .isIn("LINKED/PENDING", "IDENTIFIED/LINKED");
                assertThat(accountOf(r + "-device-" + pair)).as("round %d, device %d", round, pair).contains(account);
            }
            assertThat(balanceOf(account)).isEqualTo(500);
        }
    }

    @Test
    void claimsOfOneCheckoutAtOnceLinkOnlyItsTokenOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            String r = "r" + round;
            long account = registerWithCard(r, 100, "fp_" + r);
            deliver(checkoutCredit("checkout:cs_" + r, r + "-phone", 100, card("fp_" + r), "cs_" + r, T0));
            // Even threads claim with the checkout's token, odd ones with tokens of their own.
            List<ClaimResult> results = ConcurrentRun.race(THREADS, TIMEOUT, thread -> store.claimCheckout(
                    claim("cs_" + r, thread % 2 == 0 ? r + "-phone" : r + "-intruder-" + thread, at(1))));

            for (int thread = 0; thread < THREADS; thread++) {
                if (thread % 2 == 1) {
                    assertThat(results.get(thread).status()).isEqualTo(ClaimResult.Status.REFUSED);
                    assertThat(accountOf(r + "-intruder-" + thread)).isEmpty();
                }
            }
            assertThat(results).extracting(ClaimResult::status).filteredOn(s -> s == ClaimResult.Status.LINKED)
                    .as("round %d", round).hasSize(1);
            assertThat(accountOf(r + "-phone")).contains(account);
        }
    }
}
