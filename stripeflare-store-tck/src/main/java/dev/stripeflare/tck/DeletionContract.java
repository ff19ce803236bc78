package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserRecord;
import org.junit.jupiter.api.Test;

/** Deleting an account, its tokens and its ledger, while its operation ids stay recorded. */
abstract class DeletionContract extends StoreContractSupport {

    private static final PaymentProfile ALICE =
            new PaymentProfile("Alice", "alice@example.com", "alice@example.com", "fp_alice");

    @Test
    void deleteUserRemovesAccountTokensAndLedger() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000, ALICE, T0)).userId();
        link("checkout:cs_2", "alice-phone", 100, alice);

        assertThat(store.deleteUser(alice)).isTrue();

        assertThat(store.findById(alice)).isEmpty();
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).isEmpty();
        assertThat(store.findByCardFingerprint("fp_alice")).isEmpty();
        assertThat(store.findByVerifiedEmail("alice@example.com")).isEmpty();
        assertThat(store.ledger(alice)).isEmpty();
        assertThat(charge(debit("alice-phone", 1))).isEqualTo(ChargeResult.notRegistered());
    }

    @Test
    void deletingUnknownUserAnswersFalse() {
        long alice = register("alice", 100);

        assertThat(store.deleteUser(alice + 1)).isFalse();
        assertThat(store.deleteUser(alice)).isTrue();
        assertThat(store.deleteUser(alice)).isFalse();
    }

    @Test
    void deletingOneAccountLeavesOthersUntouched() {
        long alice = register("alice", 100);
        long bob = register("bob", 200);
        AccountState before = stateOf(bob);

        store.deleteUser(alice);

        assertThat(stateOf(bob)).isEqualTo(before);
        assertThat(store.findByTokenHash(TokenHashes.of("bob"))).map(UserRecord::userId).contains(bob);
    }

    @Test
    void redeliveredCreditAfterDeleteIsStillDuplicate() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_000)).userId();
        store.deleteUser(alice);

        CreditResult again = store.credit(credit("checkout:cs_1", "alice", 1_000));

        assertThat(again.status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
    }

    @Test
    void deletedIdIsNeverReused() {
        long alice = register("alice", 100);
        store.deleteUser(alice);

        CreditResult fresh = deliver(credit("checkout:cs_2", "alice", 100));

        assertThat(fresh.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(fresh.userId()).isNotEqualTo(alice);
    }

    @Test
    void lookupsFallBackToNextOldestAccountAfterDelete() {
        long first = deliver(credit("checkout:cs_1", "first", 100, ALICE, at(1))).userId();
        // Two accounts can share a card only when the second learnt it after its creation.
        long second = deliver(credit("checkout:cs_2", "second", 100, PaymentProfile.empty(), at(2))).userId();
        deliver(credit("checkout:cs_3", "second", 100, ALICE, at(3)));

        store.deleteUser(first);

        assertThat(store.findByCardFingerprint("fp_alice")).map(UserRecord::userId).contains(second);
        assertThat(store.findByVerifiedEmail("alice@example.com")).map(UserRecord::userId).contains(second);
    }
}
