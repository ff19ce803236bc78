package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.UserRecord;
import org.junit.jupiter.api.Test;

/** Replacing one token hash of an account, leaving everything else of it untouched. */
abstract class RotationContract extends StoreContractSupport {

    @Test
    void rotatedTokenOpensSameAccountAndOldTokenOpensNothing() {
        long alice = register("alice", 1_000);
        charge(debit("alice", 100));
        AccountState before = stateOf(alice);

        assertThat(store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"))).isTrue();

        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(store.findByTokenHash(TokenHashes.of("alice-2"))).isEqualTo(before.account());
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(charge(debit("alice", 100))).isEqualTo(ChargeResult.notRegistered());
        assertThat(charge(debit("alice-2", 100))).isEqualTo(ChargeResult.charged(800));
    }

    @Test
    void rotationLeavesOtherTokensOfTheAccountWorking() {
        long alice = register("alice", 1_000);
        link("checkout:cs_2", "alice-phone", 100, alice);

        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));

        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).map(UserRecord::userId).contains(alice);
        assertThat(charge(debit("alice-phone", 100))).isEqualTo(ChargeResult.charged(1_000));
    }

    @Test
    void idempotencyKeysSurviveRotation() {
        register("alice", 1_000);
        charge(debit("alice", 100, "req-1"));

        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));

        assertThat(charge(debit("alice-2", 100, "req-1"))).isEqualTo(ChargeResult.replayed(900));
    }

    @Test
    void rotatingUnknownTokenHashAnswersFalseAndChangesNothing() {
        long alice = register("alice", 1_000);

        assertThat(store.rotateToken(TokenHashes.of("nobody"), TokenHashes.of("nobody-2"))).isFalse();

        assertThat(store.findByTokenHash(TokenHashes.of("nobody-2"))).isEmpty();
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).map(UserRecord::userId).contains(alice);
    }

    @Test
    void rotatingToTokenHashInUseThrowsAndChangesNothing() {
        long alice = register("alice", 1_000);
        long bob = register("bob", 500);

        assertThatThrownBy(() -> store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("bob")))
                .isInstanceOf(StoreException.class);

        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).map(UserRecord::userId).contains(alice);
        assertThat(store.findByTokenHash(TokenHashes.of("bob"))).map(UserRecord::userId).contains(bob);
        assertThat(balanceOf(alice)).isEqualTo(1_000);
        assertThat(balanceOf(bob)).isEqualTo(500);
    }

    @Test
    void rotatedAwayTokenCanBeRotatedAgainOnlyFromItsNewHash() {
        long alice = register("alice", 1_000);
        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));

        assertThat(store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-3"))).isFalse();
        assertThat(store.rotateToken(TokenHashes.of("alice-2"), TokenHashes.of("alice-3"))).isTrue();
        assertThat(store.findByTokenHash(TokenHashes.of("alice-3"))).map(UserRecord::userId).contains(alice);
    }
}
