package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserRecord;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Credits: exactly once per operation id, and how the credited account is chosen. */
abstract class CreditContract extends StoreContractSupport {

    @Test
    void creditToKnownTokenCreditsExistingAccount() {
        long alice = register("alice", 500);

        CreditResult result = deliver(new PaymentCredit("checkout:cs_2", TokenHashes.of("alice"), 300,
                "pi_2", PaymentProfile.empty(), null, null, "top-up", at(9)));

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800,
                CreditResult.Account.EXISTING));
        assertThat(balanceOf(alice)).isEqualTo(800);
        assertThat(ledgerOf(alice)).last().isEqualTo(
                new LedgerEntry(alice, 300, 800, LedgerEntryKind.PAYMENT, "checkout:cs_2", "top-up", at(9)));
        assertLedgerConsistent(alice);
    }

    @Test
    void redeliveredCreditIsDuplicateOfOriginalAccountAndMovesNoMoney() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        AccountState before = stateOf(alice);

        CreditResult again = deliver(credit("checkout:cs_1", "alice", 500));

        assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(again.userId()).isEqualTo(alice);
        assertThat(again.balanceCents()).isEqualTo(500);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void duplicateOperationIdFromAnotherTokenCreatesNothing() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();

        CreditResult again = deliver(credit("checkout:cs_1", "bob", 500));

        assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(again.userId()).isEqualTo(alice);
        assertThat(store.findByTokenHash(TokenHashes.of("bob"))).isEmpty();
        assertThat(balanceOf(alice)).isEqualTo(500);
    }

    @Test
    void linkedCreditAttachesNewTokenToLinkedAccount() {
        long alice = register("alice", 500);

        CreditResult result = link("checkout:cs_2", "alice-phone", 300, alice);

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800,
                CreditResult.Account.LINKED));
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).map(UserRecord::userId).contains(alice);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).map(UserRecord::userId).contains(alice);
        assertThat(charge(debit("alice-phone", 100))).isEqualTo(ChargeResult.charged(700));
        assertThat(charge(debit("alice", 100))).isEqualTo(ChargeResult.charged(600));
        assertLedgerConsistent(alice);
    }

    @Test
    void knownTokenIsCreditedEvenWhenLinkNamesAnotherAccount() {
        long alice = register("alice", 500);
        long bob = register("bob", 500);

        CreditResult result = link("checkout:cs_3", "bob", 100, alice);

        assertThat(result.account()).isEqualTo(CreditResult.Account.EXISTING);
        assertThat(result.userId()).isEqualTo(bob);
        assertThat(balanceOf(bob)).isEqualTo(600);
        assertThat(balanceOf(alice)).isEqualTo(500);
    }

    @Test
    void linkToMissingAccountCreatesNewAccount() {
        long alice = register("alice", 500);

        CreditResult result = link("checkout:cs_2", "bob", 100, alice + 1_000);

        assertThat(result.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(result.userId()).isNotEqualTo(alice);
        assertThat(balanceOf(result.userId())).isEqualTo(100);
    }

    @Test
    void creditTakesNameAndEmailOnlyWhereProfileHasThem() {
        long alice = deliver(credit("checkout:cs_1", "alice", 100,
                new PaymentProfile("Alice", "alice@example.com", null, null), T0)).userId();

        deliver(credit("checkout:cs_2", "alice", 100, new PaymentProfile("Alice B.", null, null, null), T0));
        assertThat(account(alice).name()).isEqualTo("Alice B.");
        assertThat(account(alice).email()).isEqualTo("alice@example.com");

        deliver(credit("checkout:cs_3", "alice", 100, new PaymentProfile(null, "ab@example.com", null, null), T0));
        assertThat(account(alice).name()).isEqualTo("Alice B.");
        assertThat(account(alice).email()).isEqualTo("ab@example.com");
    }

    @Test
    void creditFillsVerifiedEmailAndCardOnlyWhenAccountHasNone() {
        long alice = deliver(credit("checkout:cs_1", "alice", 100,
                new PaymentProfile(null, null, null, "fp_first"), T0)).userId();

        deliver(credit("checkout:cs_2", "alice", 100,
                new PaymentProfile(null, null, "alice@example.com", "fp_second"), T0));
        assertThat(account(alice).cardFingerprint()).isEqualTo("fp_first");
        assertThat(account(alice).verifiedEmail()).isEqualTo("alice@example.com");
        assertThat(store.findByVerifiedEmail("alice@example.com")).map(UserRecord::userId).contains(alice);
        assertThat(store.findByCardFingerprint("fp_second")).isEmpty();

        deliver(credit("checkout:cs_3", "alice", 100,
                new PaymentProfile(null, null, "other@example.com", null), T0));
        assertThat(account(alice).verifiedEmail()).isEqualTo("alice@example.com");
        assertThat(account(alice).createdAt()).isEqualTo(T0);
    }

    @Test
    void linkedCreditUpdatesLinkedAccountProfile() {
        long alice = register("alice", 100);

        store.claimCheckout(new CheckoutClaim("checkout:cs_2", TokenHashes.of("alice-phone"), T0, T0.plusSeconds(60)));
        deliver(new PaymentCredit("checkout:cs_2", TokenHashes.of("alice-phone"), 100, "pi_2",
                new PaymentProfile("Alice", "alice@example.com", "alice@example.com", StoreFixtures.cardOf("alice")),
                "checkout:cs_2", T0.plusSeconds(60), null, T0));

        assertThat(account(alice)).extracting(UserRecord::name, UserRecord::email,
                UserRecord::verifiedEmail, UserRecord::cardFingerprint)
                .containsExactly("Alice", "alice@example.com", "alice@example.com", StoreFixtures.cardOf("alice"));
    }

    @Test
    void creditThatWouldOverflowThrowsAndChangesNothing() {
        long alice = register("alice", Long.MAX_VALUE);
        AccountState before = stateOf(alice);
        PaymentCredit overflowing = credit("checkout:cs_2", "alice", 1, 
                new PaymentProfile("New Name", null, null, null), T0);

        assertThatThrownBy(() -> deliver(overflowing)).isInstanceOf(InvalidAmountException.class);

        assertThat(stateOf(alice)).isEqualTo(before);
        // Nothing recorded, not even the operation id: once there is room, it applies.
        charge(debit("alice", 10));
        CreditResult retried = deliver(overflowing);
        assertThat(retried.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(balanceOf(alice)).isEqualTo(Long.MAX_VALUE - 9);
        assertThat(account(alice).name()).isEqualTo("New Name");
    }

    @Test
    void failedLinkingCreditAttachesNoToken() {
        long alice = register("alice", Long.MAX_VALUE);

        assertThatThrownBy(() -> link("checkout:cs_2", "alice-phone", 1, alice))
                .isInstanceOf(InvalidAmountException.class);

        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).isEmpty();
        assertThat(ledgerOf(alice)).hasSize(1);
    }
}
