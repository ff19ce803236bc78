package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.tck.LedgerAssertions;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an attacker holding a stolen (since rotated) cookie, a checkout id that is not theirs,
 * or control over the strings a webhook carries can do to the H2 store: nothing beyond what the
 * contract allows, and nothing that reaches SQL as anything but data.
 */
class H2AbuseTest {

    private static H2UserStore memory() {
        return H2UserStore.inMemory("abuse-" + UUID.randomUUID());
    }

    private static PaymentCredit credit(String op, String token, long cents, PaymentProfile profile,
                                        String checkoutId) {
        return new PaymentCredit(op, TokenHashes.of(token), cents, "pi_" + op, profile, checkoutId,
                checkoutId == null ? null : T0.plusSeconds(600), null, T0);
    }

    @Test
    void aStolenTokenRotatedAwayByItsOwnerOpensChargesClaimsAndRotatesNothing() {
        try (H2UserStore store = memory()) {
            long victim = store.credit(credit("c1", "victim-old", 1_000, PaymentProfile.empty(), null)).userId();
            assertThat(store.rotateToken(TokenHashes.of("victim-old"), TokenHashes.of("victim-new"))).isTrue();

            assertThat(store.findByTokenHash(TokenHashes.of("victim-old"))).isEmpty();
            assertThat(store.charge(new Debit(TokenHashes.of("victim-old"), 1, true, null, null, T0)).outcome())
                    .isEqualTo(ChargeOutcome.NOT_REGISTERED);
            assertThat(store.rotateToken(TokenHashes.of("victim-old"), TokenHashes.of("thief"))).isFalse();
            assertThatThrownBy(() -> store.rotateToken(TokenHashes.of("victim-new"), TokenHashes.of("victim-old")))
                    .isInstanceOf(StoreException.class);
            // paying on the stolen token's old link funds the victim, and the token stays dead
            CreditResult paid = store.credit(credit("c2", "victim-old", 50, PaymentProfile.empty(), "cs_2"));
            assertThat(paid.account()).isEqualTo(CreditResult.Account.REVOKED_TOKEN);
            assertThat(paid.userId()).isEqualTo(victim);
            assertThat(store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("victim-old"), T0,
                    T0.plusSeconds(60))).status()).isEqualTo(ClaimResult.Status.REFUSED);
            assertThat(store.findByTokenHash(TokenHashes.of("victim-old"))).isEmpty();
            assertThat(store.findByTokenHash(TokenHashes.of("victim-new")).orElseThrow().balanceCents())
                    .isEqualTo(1_050);
            LedgerAssertions.assertBalanceMatchesLedger(store, victim);
        }
    }

    @Test
    void aClaimWithAnotherTokenOrAfterTheWindowChangesNothing() {
        try (H2UserStore store = memory()) {
            PaymentProfile card = new PaymentProfile(null, null, null, "fp_victim");
            long victim = store.credit(credit("c1", "victim", 500, card, null)).userId();
            store.credit(credit("c2", "victim-laptop", 100, card, "cs_2"));

            ClaimResult thief = store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("thief"), T0,
                    T0.plusSeconds(60)));
            ClaimResult late = store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("victim-laptop"),
                    T0.plusSeconds(601), T0.plusSeconds(700)));

            assertThat(thief.status()).isEqualTo(ClaimResult.Status.REFUSED);
            assertThat(late.status()).isEqualTo(ClaimResult.Status.EXPIRED);
            assertThat(store.findByTokenHash(TokenHashes.of("thief"))).isEmpty();
            assertThat(store.findByTokenHash(TokenHashes.of("victim-laptop"))).isEmpty();
            assertThat(store.findById(victim).orElseThrow().balanceCents()).isEqualTo(600);
        }
    }

    @Test
    void stringsFromAWebhookThatLookLikeSqlAreStoredAsData() {
        String evil = "x'); DELETE FROM ACCOUNTS; DROP TABLE TOKENS; --";
        try (H2UserStore store = memory()) {
            long honest = store.credit(credit("c0", "honest", 100, PaymentProfile.empty(), null)).userId();
            PaymentProfile profile = new PaymentProfile(evil, evil, evil + "@example.com", evil);
            CreditResult result = store.credit(new PaymentCredit(evil, TokenHashes.of("t"), 10, evil, profile, evil,
                    T0.plusSeconds(60), evil, T0));
            store.reverse(new PaymentReversal(evil + "r", evil, 5, LedgerEntryKind.REFUND, evil, T0));
            assertThat(store.claimCheckout(new CheckoutClaim(evil, evil, T0, T0.plusSeconds(60))).status())
                    .isEqualTo(ClaimResult.Status.REFUSED);
            // the paying browser's return vouches for the payer: the card is recorded, as data
            assertThat(store.claimCheckout(new CheckoutClaim(evil, TokenHashes.of("t"), T0, T0.plusSeconds(60)))
                    .status()).isEqualTo(ClaimResult.Status.ALREADY_LINKED);

            assertThat(store.findById(honest).orElseThrow().balanceCents()).isEqualTo(100);
            assertThat(store.findByTokenHash(TokenHashes.of("honest"))).isPresent();
            assertThat(store.findById(result.userId()).orElseThrow().name()).isEqualTo(evil);
            assertThat(store.findByCardFingerprint(evil)).isPresent();
            assertThat(store.findById(result.userId()).orElseThrow().balanceCents()).isEqualTo(5);
        }
    }
}
