package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.card;
import static dev.stripeflare.tck.StoreFixtures.checkoutCredit;
import static dev.stripeflare.tck.StoreFixtures.claim;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an attacker holding a payment link (and so its token) can try against the store, and
 * that each attempt fails: the victim's money stays reachable only by the victim's tokens.
 */
abstract class AbuseContract extends StoreContractSupport {

    private Optional<Long> accountOf(String token) {
        return store.findByTokenHash(TokenHashes.of(token)).map(UserRecord::userId);
    }

    /** The victim (card fp_victim, 5 000 cents) pays 100 cents on the attacker's link, token "lure", checkout cs_v. */
    private long victimPaysOnTheLure() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");
        CreditResult paid = deliver(checkoutCredit("checkout:cs_v", "lure", 100, card("fp_victim"), "cs_v", T0));
        assertThat(paid.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(paid.userId()).isEqualTo(victim);
        return victim;
    }

    @Test
    void attackerWhoseLinkTheVictimPaidGetsNoAccess() {
        long victim = victimPaysOnTheLure();

        assertThat(accountOf("lure")).isEmpty();
        assertThat(charge(debit("lure", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(balanceOf(victim)).isEqualTo(5_100);
    }

    @Test
    void attackerWithoutTheCheckoutIdCannotClaimWithGuessedIds() {
        long victim = victimPaysOnTheLure();

        for (String guess : new String[] {"cs_1", "cs_w", "cs_v ", "CS_V", "checkout:cs_v", ""}) {
            ClaimResult result = store.claimCheckout(claim(guess, "lure", at(1)));
            assertThat(result.status()).as("claim of %s", guess)
                    .isNotIn(ClaimResult.Status.LINKED, ClaimResult.Status.ALREADY_LINKED);
        }

        assertThat(accountOf("lure")).isEmpty();
        assertThat(charge(debit("lure", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(balanceOf(victim)).isEqualTo(5_100);
    }

    @Test
    void attackerWhoLearnsTheCheckoutIdCannotClaimItWithAnotherToken() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");
        long attacker = registerWithCard("attacker", 10, "fp_attacker");
        deliver(checkoutCredit("checkout:cs_v", "victim-phone", 100, card("fp_victim"), "cs_v", T0));

        assertThat(store.claimCheckout(claim("cs_v", "attacker", at(1))).status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(store.claimCheckout(claim("cs_v", "attacker-fresh", at(2))).status()).isEqualTo(ClaimResult.Status.REFUSED);

        assertThat(accountOf("attacker")).contains(attacker);
        assertThat(accountOf("attacker-fresh")).isEmpty();
        assertThat(store.claimCheckout(claim("cs_v", "victim-phone", at(3))).status()).isEqualTo(ClaimResult.Status.LINKED);
        assertThat(accountOf("victim-phone")).contains(victim);
        assertThat(balanceOf(attacker)).isEqualTo(10);
    }

    @Test
    void attackersPendingClaimOfAnotherCheckoutNeverLinks() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");

        store.claimCheckout(claim("cs_v", "attacker-fresh", T0));
        CreditResult paid = deliver(checkoutCredit("checkout:cs_v", "victim-phone", 100, card("fp_victim"), "cs_v", at(1)));

        assertThat(paid.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(accountOf("attacker-fresh")).isEmpty();
        assertThat(store.claimCheckout(claim("cs_v", "attacker-fresh", at(2))).status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(accountOf("attacker-fresh")).isEmpty();
        assertThat(balanceOf(victim)).isEqualTo(5_100);
    }

    @Test
    void attackerHoldingARotatedAwayTokenCannotGetItBack() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");
        registerWithCard("attacker", 10, "fp_attacker");
        store.rotateToken(TokenHashes.of("victim"), TokenHashes.of("victim-2"));

        // The attacker pays on the stolen token's link with their own card, then claims that checkout.
        CreditResult paid = deliver(checkoutCredit("checkout:cs_a", "victim", 100, card("fp_attacker"), "cs_a", T0));
        ClaimResult claimed = store.claimCheckout(claim("cs_a", "victim", at(1)));

        assertThat(paid.account()).isEqualTo(CreditResult.Account.REVOKED_TOKEN);
        assertThat(paid.userId()).as("the money lands where the token used to open").isEqualTo(victim);
        assertThat(claimed.status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(accountOf("victim")).isEmpty();
        assertThat(charge(debit("victim", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.rotateToken(TokenHashes.of("victim"), TokenHashes.of("attacker-new"))).isFalse();
        assertThat(accountOf("attacker-new")).isEmpty();
        assertThat(accountOf("victim-2")).contains(victim);
        assertThat(balanceOf(victim)).isEqualTo(5_100);
    }

    @Test
    void attackerHoldingARotatedAwayTokenCannotGetItBackThroughAPendingClaim() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");
        store.rotateToken(TokenHashes.of("victim"), TokenHashes.of("victim-2"));

        store.claimCheckout(claim("cs_a", "victim", T0));
        deliver(checkoutCredit("checkout:cs_a", "victim", 100, card("fp_victim"), "cs_a", at(1)));

        assertThat(accountOf("victim")).isEmpty();
        assertThat(charge(debit("victim", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(balanceOf(victim)).isEqualTo(5_100);
    }

    @Test
    void tokenOfADeletedAccountOpensNothingWhateverItPays() {
        long victim = registerWithCard("victim", 5_000, "fp_victim");
        store.deleteUser(victim);

        store.claimCheckout(claim("cs_a", "victim", T0));
        CreditResult paid = deliver(checkoutCredit("checkout:cs_a", "victim", 100, card("fp_new"), "cs_a", at(1)));
        store.claimCheckout(claim("cs_a", "victim", at(2)));

        assertThat(paid.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(accountOf("victim")).isEmpty();
        assertThat(charge(debit("victim", 1))).isEqualTo(ChargeResult.notRegistered());
    }

    /**
     * Found by the bank test (seed 20261129): a victim paying with Link (a verified email) on an
     * attacker's registered link gave the attacker's older account the victim's verified email,
     * and since a verified email identifies before a card, every later payment of the victim
     * from a new browser landed in the attacker's account.
     */
    @Test
    void aVerifiedEmailPaidThroughAStrangersLinkNeverDrawsThePayersLaterPayments() {
        long attacker = registerWithCard("attacker", 10, "fp_attacker");
        PaymentProfile victim = new PaymentProfile("Victim", "v@example.com", "v@example.com", "fp_victim");

        CreditResult gift = deliver(checkoutCredit("checkout:cs_gift", "attacker", 100, victim, "cs_gift", T0));
        store.claimCheckout(claim("cs_gift", "victim-browser", at(1)));
        CreditResult later = deliver(checkoutCredit("checkout:cs_own", "victim-phone", 700, victim, "cs_own", at(2)));

        assertThat(gift.userId()).as("a payment on a link lands where its token opens").isEqualTo(attacker);
        assertThat(account(attacker).verifiedEmail()).isNull();
        assertThat(account(attacker).cardFingerprint()).isEqualTo("fp_attacker");
        assertThat(later.userId()).isNotEqualTo(attacker);
        assertThat(balanceOf(attacker)).isEqualTo(110);
        assertThat(accountOf("victim-phone")).contains(later.userId());
    }
}
