package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.tck.LedgerAssertions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2UserStoreTest {

    @TempDir
    Path dir;

    private static H2UserStore memory() {
        return H2UserStore.inMemory("t-" + UUID.randomUUID());
    }

    @Test
    void firstCreditCreatesAccountWithProfileThenExistingTokenIsCredited() {
        try (H2UserStore store = memory()) {
            PaymentProfile profile = new PaymentProfile("Ada", "ada@example.com", "Ada@Example.com", "fp_1");
            CreditResult first = store.credit(credit("op1", "tok", 500, profile, T0));
            CreditResult second = store.credit(credit("op2", "tok", 250));

            assertThat(first.account()).isEqualTo(CreditResult.Account.CREATED);
            assertThat(second.account()).isEqualTo(CreditResult.Account.EXISTING);
            assertThat(second.userId()).isEqualTo(first.userId());
            assertThat(second.balanceCents()).isEqualTo(750);
            var user = store.findByTokenHash(TokenHashes.of("tok")).orElseThrow();
            assertThat(user.email()).isEqualTo("ada@example.com");
            assertThat(user.createdAt()).isEqualTo(T0);
            assertThat(store.findByVerifiedEmail("ADA@example.COM")).contains(user);
            assertThat(store.findByCardFingerprint("fp_1")).contains(user);
            assertThat(store.ledger(first.userId())).extracting(e -> e.kind())
                    .containsExactly(LedgerEntryKind.PAYMENT, LedgerEntryKind.PAYMENT);
        }
    }

    @Test
    void redeliveredCreditIsDuplicateAndChangesNothing() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", 500)).userId();
            CreditResult again = store.credit(credit("op1", "tok", 500));
            assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
            assertThat(again.userId()).isEqualTo(id);
            assertThat(store.findById(id).orElseThrow().balanceCents()).isEqualTo(500);
            assertThat(store.ledger(id)).hasSize(1);
        }
    }

    @Test
    void creditIdentifiedByCardReachesTheAccountAndOnlyTheClaimingBrowserGetsAccess() {
        try (H2UserStore store = memory()) {
            PaymentProfile card = new PaymentProfile(null, null, null, "fp_1");
            long id = store.credit(credit("op1", "phone", 500, card, T0)).userId();
            CreditResult identified = store.credit(new PaymentCredit("op2", TokenHashes.of("laptop"), 100, "pi_op2",
                    card, "cs_2", T0.plusSeconds(600), null, T0));
            assertThat(identified.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
            assertThat(identified.balanceCents()).isEqualTo(600);
            assertThat(store.findByTokenHash(TokenHashes.of("laptop"))).isEmpty();

            ClaimResult wrongToken = store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("thief"),
                    T0.plusSeconds(1), T0.plusSeconds(60)));
            ClaimResult linked = store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("laptop"),
                    T0.plusSeconds(2), T0.plusSeconds(60)));
            assertThat(wrongToken.status()).isEqualTo(ClaimResult.Status.REFUSED);
            assertThat(linked).isEqualTo(new ClaimResult(ClaimResult.Status.LINKED, OptionalLong.of(id)));
            assertThat(store.findByTokenHash(TokenHashes.of("laptop")).orElseThrow().userId()).isEqualTo(id);
            assertThat(store.findByTokenHash(TokenHashes.of("thief"))).isEmpty();
        }
    }

    @Test
    void reversalBeforeItsCreditIsDeferredAndAppliedWithTheCredit() {
        try (H2UserStore store = memory()) {
            ReversalResult deferred = store.reverse(refund("re1", "op1", 200));
            assertThat(deferred.status()).isEqualTo(ReversalResult.Status.DEFERRED);
            assertThat(store.reverse(refund("re1", "op1", 200)).status())
                    .isEqualTo(ReversalResult.Status.DUPLICATE);

            CreditResult credited = store.credit(credit("op1", "tok", 500));
            assertThat(credited.balanceCents()).isEqualTo(300);
            LedgerAssertions.assertBalanceMatchesLedger(store, credited.userId());
            assertThat(store.reverse(refund("re1", "op1", 200)).status())
                    .isEqualTo(ReversalResult.Status.DUPLICATE);
        }
    }

    @Test
    void reversalAfterCreditDebitsThatAccountBelowZero() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", 500)).userId();
            store.charge(debit("tok", 400));
            ReversalResult result = store.reverse(refund("re1", "op1", 500));
            assertThat(result.status()).isEqualTo(ReversalResult.Status.APPLIED);
            assertThat(result.balanceCents()).isEqualTo(-400);
            LedgerAssertions.assertBalanceMatchesLedger(store, id);
        }
    }

    @Test
    void settledOperationIsRecordedOnceAndMakesLaterCreditDuplicate() {
        try (H2UserStore store = memory()) {
            assertThat(store.recordSettled("op1", "currency", T0)).isTrue();
            assertThat(store.recordSettled("op1", "currency", T0)).isFalse();
            assertThat(store.credit(credit("op1", "tok", 500)).status()).isEqualTo(CreditResult.Status.DUPLICATE);
            assertThat(store.findByTokenHash(TokenHashes.of("tok"))).isEmpty();
        }
    }

    @Test
    void rotatedTokenOpensTheAccountAndOldOneNothing() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "old", 500)).userId();
            store.credit(credit("op2", "other", 1));
            assertThat(store.rotateToken(TokenHashes.of("old"), TokenHashes.of("new"))).isTrue();
            assertThat(store.findByTokenHash(TokenHashes.of("new")).orElseThrow().userId()).isEqualTo(id);
            assertThat(store.findByTokenHash(TokenHashes.of("old"))).isEmpty();
            assertThat(store.rotateToken(TokenHashes.of("old"), TokenHashes.of("x"))).isFalse();
            assertThatThrownBy(() -> store.rotateToken(TokenHashes.of("new"), TokenHashes.of("other")))
                    .isInstanceOf(StoreException.class);
            assertThat(store.findByTokenHash(TokenHashes.of("new")).orElseThrow().userId()).isEqualTo(id);
        }
    }

    @Test
    void deletedUserIsGoneButTheirOperationIdsStayApplied() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", 500)).userId();
            assertThat(store.deleteUser(id)).isTrue();
            assertThat(store.deleteUser(id)).isFalse();
            assertThat(store.findById(id)).isEmpty();
            assertThat(store.ledger(id)).isEmpty();
            assertThat(store.charge(debit("tok", 1)).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
            assertThat(store.credit(credit("op1", "tok", 500)).status()).isEqualTo(CreditResult.Status.DUPLICATE);
        }
    }

    @Test
    void creditThatWouldOverflowThrowsAndChangesNothing() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", Long.MAX_VALUE - 10)).userId();
            assertThatThrownBy(() -> store.credit(credit("op2", "tok", 11)))
                    .isInstanceOf(InvalidAmountException.class);
            assertThat(store.findById(id).orElseThrow().balanceCents()).isEqualTo(Long.MAX_VALUE - 10);
            assertThat(store.ledger(id)).hasSize(1);
            assertThat(store.credit(credit("op2", "tok", 1)).status()).isEqualTo(CreditResult.Status.APPLIED);
        }
    }

    @Test
    void fileStoreKeepsEverythingAcrossReopen() {
        Path file = dir.resolve("wallet");
        long id;
        try (H2UserStore store = H2UserStore.file(file)) {
            id = store.credit(credit("op1", "tok", 500)).userId();
            store.charge(debit("tok", 120, "k1"));
        }
        try (H2UserStore store = H2UserStore.file(file)) {
            assertThat(store.findById(id).orElseThrow().balanceCents()).isEqualTo(380);
            assertThat(store.charge(debit("tok", 120, "k1")).outcome()).isEqualTo(ChargeOutcome.REPLAYED);
            assertThat(store.credit(credit("op1", "tok", 500)).status()).isEqualTo(CreditResult.Status.DUPLICATE);
            assertThat(store.credit(credit("op9", "new", 5)).userId()).isNotEqualTo(id);
        }
    }

    @Test
    void newVersionStartsFromEmptyDataAndOldVersionIsKept() {
        Path file = dir.resolve("wallet");
        try (H2UserStore v1 = H2UserStore.file(file)) {
            v1.credit(credit("op1", "tok", 500));
        }
        try (H2UserStore v2 = H2UserStore.builder().file(file).version("v2").startEmptyBesideOlderData().build()) {
            assertThat(v2.findByTokenHash(TokenHashes.of("tok"))).isEmpty();
            assertThat(v2.admin().userCount()).isZero();
        }
        try (H2UserStore v1 = H2UserStore.file(file)) {
            assertThat(v1.findByTokenHash(TokenHashes.of("tok"))).isPresent();
        }
    }

    @Test
    void closedStoreThrowsStoreException() {
        H2UserStore store = memory();
        store.close();
        assertThatThrownBy(() -> store.findById(1)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.charge(debit("tok", 1))).isInstanceOf(StoreException.class);
    }

    @Test
    void builderNamesEveryProblemAtOnce() {
        assertThatThrownBy(() -> H2UserStore.builder().version("bad version").poolSize(0).build())
                .hasMessageContaining("exactly one of")
                .hasMessageContaining("version")
                .hasMessageContaining("poolSize");
    }

    @Test
    void adminQueriesSummariseAllAccounts() {
        try (H2UserStore store = memory()) {
            long a = store.credit(credit("op1", "a", 500)).userId();
            long b = store.credit(credit("op2", "b", 900, PaymentProfile.empty(), Instant.parse("2026-01-02T10:00:00Z")))
                    .userId();
            store.charge(debit("a", 100));
            H2Admin admin = store.admin();
            assertThat(admin.totalBalanceCents()).isEqualTo(1300);
            assertThat(admin.userCount()).isEqualTo(2);
            assertThat(admin.usersByBalance(10)).extracting(AccountBalance::userId).containsExactly(b, a);
            assertThat(admin.ledger(a)).hasSize(2);
            assertThat(admin.totalsPerDay(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-02")))
                    .containsExactly(
                            new DailyTotal(LocalDate.parse("2026-01-01"), 500, 100, 2),
                            new DailyTotal(LocalDate.parse("2026-01-02"), 900, 0, 1));
        }
    }

    @Test
    void refundOfADeletedUsersPaymentIsAppliedToNoAccount() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", 500)).userId();
            store.deleteUser(id);
            ReversalResult result = store.reverse(refund("re1", "op1", 100));
            assertThat(result.status()).isEqualTo(ReversalResult.Status.APPLIED);
            assertThat(result.userId()).isEmpty();
            assertThat(store.reverse(refund("re1", "op1", 100)).status()).isEqualTo(ReversalResult.Status.DUPLICATE);
        }
    }

    @Test
    void duplicateOfASettledOperationReportsTheTokensAccount() {
        try (H2UserStore store = memory()) {
            long id = store.credit(credit("op1", "tok", 500)).userId();
            store.recordSettled("op2", "currency", T0);
            CreditResult again = store.credit(credit("op2", "tok", 700));
            assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
            assertThat(again.userId()).isEqualTo(id);
            assertThat(again.balanceCents()).isEqualTo(500);
        }
    }

    @Test
    void storeOnAnApplicationDataSourceWorks() {
        org.h2.jdbcx.JdbcDataSource source = new org.h2.jdbcx.JdbcDataSource();
        source.setURL("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath());
        source.setUser("sa");
        long id;
        try (H2UserStore store = H2UserStore.of(source)) {
            id = store.credit(credit("op1", "tok", 500)).userId();
            assertThat(store.charge(debit("tok", 200)).balanceCents()).isEqualTo(300);
        }
        try (H2UserStore store = H2UserStore.of(source)) {
            assertThat(store.findById(id).orElseThrow().balanceCents()).isEqualTo(300);
        }
    }
}
