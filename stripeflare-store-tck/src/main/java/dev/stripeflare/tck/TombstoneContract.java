package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.card;
import static dev.stripeflare.tck.StoreFixtures.checkoutCredit;
import static dev.stripeflare.tck.StoreFixtures.claim;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import org.junit.jupiter.api.Test;

/**
 * Revoked token hashes (tombstones): rotation and deletion revoke; a revoked hash opens nothing,
 * is never attached again by a credit or a claim, and cannot be rotated to.
 */
abstract class TombstoneContract extends StoreContractSupport {

    private static String hash(String token) {
        return TokenHashes.of(token);
    }

    @Test
    void rotatedAwayHashOpensNothingAndCannotBeCharged() {
        register("alice", 500);
        store.rotateToken(hash("alice"), hash("alice-2"));

        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
        assertThat(charge(debit("alice", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.rotateToken(hash("alice"), hash("alice-3"))).isFalse();
        assertThat(store.findByTokenHash(hash("alice-3"))).isEmpty();
    }

    @Test
    void deletionRevokesEveryHashOfTheAccount() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        linkDevice("alice", "alice-phone", "checkout:cs_2", 100);
        store.deleteUser(alice);

        for (String token : new String[] {"alice", "alice-phone"}) {
            assertThat(store.findByTokenHash(hash(token))).as(token).isEmpty();
            assertThat(charge(debit(token, 1))).as(token).isEqualTo(ChargeResult.notRegistered());
            CreditResult paid = deliver(credit("checkout:again-" + token, token, 100, card("fp_" + token + "-new"), T0));
            assertThat(paid.account()).as(token).isEqualTo(CreditResult.Account.CREATED);
            assertThat(store.findByTokenHash(hash(token))).as("%s after paying again", token).isEmpty();
        }
    }

    @Test
    void creditOnARevokedHashNeverReattachesIt() {
        long alice = register("alice", 500);
        store.rotateToken(hash("alice"), hash("alice-2"));

        for (int i = 0; i < 3; i++) {
            CreditResult paid = deliver(credit("checkout:cs_" + i, "alice", 100));
            assertThat(paid.account()).isEqualTo(CreditResult.Account.REVOKED_TOKEN);
            assertThat(paid.userId()).isEqualTo(alice);
        }

        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
        assertThat(balanceOf(alice)).isEqualTo(800);
    }

    @Test
    void claimWithARevokedHashNeverReattachesIt() {
        long alice = register("alice", 500);
        store.rotateToken(hash("alice"), hash("alice-2"));
        deliver(checkoutCredit("checkout:cs_2", "alice", 100, card("fp_alice"), "cs_2", T0));

        assertThat(store.claimCheckout(claim("cs_2", "alice", at(1))).status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
        assertThat(balanceOf(alice)).isEqualTo(600);
    }

    @Test
    void pendingClaimWithARevokedHashIsNotHonouredByTheCredit() {
        long alice = register("alice", 500);
        long bob = registerWithCard("bob", 100, "fp_bob");
        store.rotateToken(hash("alice"), hash("alice-2"));
        store.deleteUser(alice);
        // The tombstone's account is gone, so the payment is identified by bob's card.
        store.claimCheckout(claim("cs_2", "alice", T0));

        CreditResult paid = deliver(checkoutCredit("checkout:cs_2", "alice", 300, card("fp_bob"), "cs_2", at(1)));

        assertThat(paid.userId()).isEqualTo(bob);
        assertThat(paid.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
    }

    @Test
    void rotatingToARevokedHashThrowsAndChangesNothing() {
        long alice = register("alice", 500);
        long bob = register("bob", 500);
        store.rotateToken(hash("alice"), hash("alice-2"));
        AccountState aliceBefore = stateOf(alice);
        AccountState bobBefore = stateOf(bob);

        assertThatThrownBy(() -> store.rotateToken(hash("bob"), hash("alice"))).isInstanceOf(StoreException.class);

        assertThat(store.findByTokenHash(hash("bob"))).map(UserRecord::userId).contains(bob);
        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
        assertThat(stateOf(alice)).isEqualTo(aliceBefore);
        assertThat(stateOf(bob)).isEqualTo(bobBefore);
        assertThat(deliver(credit("checkout:cs_9", "alice", 1)).userId()).as("the tombstone still names alice").isEqualTo(alice);
    }

    @Test
    void rotatingToAHashOfADeletedAccountThrows() {
        long alice = register("alice", 500);
        long bob = register("bob", 500);
        store.deleteUser(alice);

        assertThatThrownBy(() -> store.rotateToken(hash("bob"), hash("alice"))).isInstanceOf(StoreException.class);

        assertThat(store.findByTokenHash(hash("bob"))).map(UserRecord::userId).contains(bob);
        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
    }

    @Test
    void rotatingAHashToItselfThrowsAndChangesNothing() {
        long alice = register("alice", 500);

        assertThatThrownBy(() -> store.rotateToken(hash("alice"), hash("alice"))).isInstanceOf(StoreException.class);

        assertThat(store.findByTokenHash(hash("alice"))).map(UserRecord::userId).contains(alice);
        assertThat(charge(debit("alice", 1))).isEqualTo(ChargeResult.charged(499));
    }

    @Test
    void rotatedAwayHashStaysRevokedAfterItsAccountIsDeleted() {
        long alice = register("alice", 500);
        store.rotateToken(hash("alice"), hash("alice-2"));
        store.deleteUser(alice);

        assertThat(store.findByTokenHash(hash("alice"))).isEmpty();
        assertThat(store.findByTokenHash(hash("alice-2"))).isEmpty();
        CreditResult paid = deliver(credit("checkout:cs_2", "alice-2", 100));
        assertThat(paid.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(store.findByTokenHash(hash("alice-2"))).isEmpty();
    }
}
