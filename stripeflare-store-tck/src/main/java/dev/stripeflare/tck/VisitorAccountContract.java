package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.Allowance;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.OpenedAccount;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accounts opened for visitors who have not paid, at their first charge, when the wallet gives
 * allowances to visitors (issue 13, ADR 33 addendum): {@link dev.stripeflare.spi.UserStore#openAccount}
 * creates one account per token hash however many threads (and credits) race it, never revives a
 * revoked hash (rotated away, or of a deleted account), refuses a hash of the wrong form, and the
 * allowance given through {@code grant} under the period's operation id is given once per period.
 */
@Timeout(120)
abstract class VisitorAccountContract extends StoreContractSupport {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Allowance DAILY = new Allowance(10, Allowance.Period.DAY);
    /** A UTC midnight: the first instant of a day, so of a new allowance period. */
    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");

    private OpenedAccount open(String token, Instant at) {
        return store.openAccount(TokenHashes.of(token), at);
    }

    /** What the wallet does at a visitor's first charge: open, give the period's allowance, charge. */
    private ChargeResult firstCharge(String token, long cents, Instant at) {
        OpenedAccount opened = open(token, at);
        if (opened.opens()) {
            store.grant(new CreditGrant(opened.userId(), DAILY.cents(), DAILY.operationId(opened.userId(), at),
                    "allowance (day)", DAILY.periodEnd(at), at));
        }
        return store.charge(Debit.ofTokenHash(TokenHashes.of(token), cents, false, null, null, at));
    }

    private List<LedgerEntry> entriesOf(long userId, LedgerEntryKind kind) {
        return ledgerOf(userId).stream().filter(e -> e.kind() == kind).toList();
    }

    @Test
    void openingCreatesAnEmptyAccountThatTheHashOpensOnce() {
        OpenedAccount first = open("visitor", T0);
        OpenedAccount again = open("visitor", T0.plusSeconds(5));

        assertThat(first.status()).isEqualTo(OpenedAccount.Status.CREATED);
        assertThat(again).isEqualTo(new OpenedAccount(OpenedAccount.Status.EXISTING, first.userId()));
        UserRecord account = store.findByTokenHash(TokenHashes.of("visitor")).orElseThrow();
        assertThat(account.userId()).isEqualTo(first.userId());
        assertThat(account.balanceCents()).isZero();
        assertThat(account.grantedCents()).isZero();
        assertThat(account.name()).isNull();
        assertThat(account.verifiedEmail()).isNull();
        assertThat(account.cardFingerprint()).isNull();
        assertThat(ledgerOf(first.userId())).isEmpty();
        assertThat(store.charge(StoreFixtures.debit("visitor", 1))).isEqualTo(ChargeResult.insufficientBalance(0));
    }

    @Test
    void anAccountThatExistsIsNamedAndNotChanged() {
        long alice = register("alice", 500);
        AccountState before = stateOf(alice);

        assertThat(open("alice", T0)).isEqualTo(new OpenedAccount(OpenedAccount.Status.EXISTING, alice));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void theTokenOfADeletedAccountIsNeverResurrected() {
        long alice = register("alice", 500);
        assertThat(store.deleteUser(alice)).isTrue();

        assertThat(open("alice", T0)).isEqualTo(new OpenedAccount(OpenedAccount.Status.REVOKED, 0));
        assertThat(firstCharge("alice", 1, T0).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(store.findById(alice)).isEmpty();
    }

    @Test
    void aRotatedAwayTokenOpensNoNewAccount() {
        long alice = register("alice", 500);
        assertThat(store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"))).isTrue();
        AccountState before = stateOf(alice);

        assertThat(open("alice", T0).status()).isEqualTo(OpenedAccount.Status.REVOKED);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(open("alice-2", T0)).isEqualTo(new OpenedAccount(OpenedAccount.Status.EXISTING, alice));
    }

    @Test
    void aHashOfTheWrongFormIsRefusedAndCreatesNothing() {
        String hash = TokenHashes.of("visitor");
        for (String forged : List.of("", "short", hash + "A", hash.substring(1), hash.substring(1) + "=",
                hash.substring(1) + "+", hash.substring(1) + "/", hash.substring(1) + " ", "visitor-token-in-clear")) {
            assertThatThrownBy(() -> store.openAccount(forged, T0)).as("hash %s", forged)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.findByTokenHash(forged)).as("hash %s", forged).isEmpty();
        }
        assertThatThrownBy(() -> store.openAccount(null, T0)).isInstanceOf(NullPointerException.class);
        // Nothing was created: the next account made is the first.
        OpenedAccount first = open("visitor", T0);
        assertThat(store.findById(first.userId() - 1)).isEmpty();
    }

    @Test
    void aPaymentThroughTheTokenLandsInTheOpenedAccount() {
        OpenedAccount opened = open("visitor", T0);

        CreditResult credited = deliver(StoreFixtures.credit("pay-1", "visitor", 700));

        assertThat(credited.account()).isEqualTo(CreditResult.Account.EXISTING);
        assertThat(credited.userId()).isEqualTo(opened.userId());
        assertThat(balanceOf(opened.userId())).isEqualTo(700);
    }

    @Test
    void theAllowanceIsGivenOncePerPeriod() {
        Instant morning = MIDNIGHT.plusSeconds(8 * 3_600);
        assertThat(firstCharge("visitor", 3, morning)).isEqualTo(ChargeResult.charged(7));
        assertThat(firstCharge("visitor", 3, morning.plusSeconds(60))).isEqualTo(ChargeResult.charged(4));
        long id = open("visitor", morning).userId();
        GrantChange claimedAgain = store.grant(new CreditGrant(id, DAILY.cents(), DAILY.operationId(id, morning),
                "allowance (day)", DAILY.periodEnd(morning), morning.plusSeconds(120)));

        assertThat(claimedAgain.status()).isEqualTo(GrantChange.Status.DUPLICATE);
        assertThat(entriesOf(id, LedgerEntryKind.GRANT)).hasSize(1);
        assertThat(balanceOf(id)).isEqualTo(4);
        // The next day: a new allowance; yesterday's remainder has left.
        Instant tomorrow = morning.plus(Duration.ofDays(1));
        assertThat(firstCharge("visitor", 1, tomorrow)).isEqualTo(ChargeResult.charged(9));
        assertThat(entriesOf(id, LedgerEntryKind.GRANT)).hasSize(2);
        assertThat(entriesOf(id, LedgerEntryKind.GRANT_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.amountCents()).isEqualTo(-4));
        GrantAssertions.assertGrantsConsistent(store, id);
    }

    @Test
    void eightThreadsFirstChargingOneFreshTokenAtMidnightMakeOneAccountAndOneAllowance() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "fresh-" + round;
            List<ChargeResult> results = ConcurrentRun.race(THREADS, TIMEOUT, i -> firstCharge(token, 1, MIDNIGHT));

            UserRecord account = store.findByTokenHash(TokenHashes.of(token)).orElseThrow();
            long id = account.userId();
            assertThat(results).as("round %d", round).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(ChargeOutcome.CHARGED));
            assertThat(entriesOf(id, LedgerEntryKind.GRANT)).as("allowances, round %d", round).hasSize(1);
            assertThat(account.balanceCents()).isEqualTo(DAILY.cents() - THREADS);
            assertThat(store.findById(id + 1)).as("a second account, round %d", round).isEmpty();
            assertLedgerConsistent(id);
            GrantAssertions.assertGrantsConsistent(store, id);
        }
    }

    @Test
    void eightThreadsAcrossMidnightGetOneAllowancePerPeriodAndOneAccount() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "boundary-" + round;
            Instant before = MIDNIGHT.minusMillis(1);
            List<OpenedAccount> opened = ConcurrentRun.race(THREADS, TIMEOUT, i -> {
                Instant at = i % 2 == 0 ? before : MIDNIGHT;
                OpenedAccount account = open(token, at);
                store.grant(new CreditGrant(account.userId(), DAILY.cents(), DAILY.operationId(account.userId(), at),
                        "allowance (day)", DAILY.periodEnd(at), at));
                store.charge(Debit.ofTokenHash(TokenHashes.of(token), 1, false, null, null, at));
                return account;
            });

            Set<Long> ids = opened.stream().map(OpenedAccount::userId).collect(Collectors.toSet());
            assertThat(ids).as("accounts, round %d", round).hasSize(1);
            assertThat(opened.stream().filter(o -> o.status() == OpenedAccount.Status.CREATED)).hasSize(1);
            long id = ids.iterator().next();
            Set<String> allowances = entriesOf(id, LedgerEntryKind.GRANT).stream().map(LedgerEntry::operationId)
                    .collect(Collectors.toSet());
            assertThat(entriesOf(id, LedgerEntryKind.GRANT)).as("allowances, round %d", round).hasSize(2);
            assertThat(allowances).containsExactlyInAnyOrder(DAILY.operationId(id, before),
                    DAILY.operationId(id, MIDNIGHT));
            assertLedgerConsistent(id);
            GrantAssertions.assertGrantsConsistent(store, id);
        }
    }

    @Test
    void openingRacingCreditsThroughTheSameTokenMakesOneAccount() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "payer-" + round;
            int r = round;
            List<Long> ids = ConcurrentRun.race(THREADS, TIMEOUT, i -> i % 2 == 0
                    ? open(token, T0).userId()
                    : deliver(StoreFixtures.credit("pay-" + r + "-" + i, token, 100)).userId());

            assertThat(Set.copyOf(ids)).as("accounts, round %d", round).hasSize(1);
            assertThat(balanceOf(ids.get(0))).isEqualTo(100L * (THREADS / 2));
        }
    }

    @Test
    void openingRacingTheDeletionOfTheAccountNeverRevivesIt() {
        for (int round = 0; round < ROUNDS; round++) {
            String token = "doomed-" + round;
            long id = open(token, T0).userId();
            List<OpenedAccount> results = ConcurrentRun.race(THREADS, TIMEOUT, i -> {
                if (i == 0) {
                    store.deleteUser(id);
                    return null;
                }
                return open(token, T0);
            });

            assertThat(results.subList(1, THREADS)).as("round %d", round).allSatisfy(o -> assertThat(o).isIn(
                    new OpenedAccount(OpenedAccount.Status.EXISTING, id), new OpenedAccount(OpenedAccount.Status.REVOKED, 0)));
            assertThat(store.findByTokenHash(TokenHashes.of(token))).isEmpty();
            assertThat(open(token, T0).status()).isEqualTo(OpenedAccount.Status.REVOKED);
        }
    }
}
