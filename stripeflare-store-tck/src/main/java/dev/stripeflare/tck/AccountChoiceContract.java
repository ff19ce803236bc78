package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.card;
import static dev.stripeflare.tck.StoreFixtures.checkoutCredit;
import static dev.stripeflare.tck.StoreFixtures.claim;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static dev.stripeflare.tck.StoreFixtures.verifiedEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.CreditResult.Account;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import org.junit.jupiter.api.Test;

/**
 * How {@code credit} chooses the account (EXISTING, REVOKED_TOKEN, IDENTIFIED, LINKED, CREATED)
 * and when the paying token gains access: money lands where the payment identifies, access only
 * where the token already had it, or through a claim of the checkout.
 */
abstract class AccountChoiceContract extends StoreContractSupport {

    @Test
    void tokenThatOpensAnAccountIsCreditedThereAsExisting() {
        long alice = register("alice", 500);

        CreditResult result = deliver(credit("checkout:cs_2", "alice", 300));

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800, Account.EXISTING));
    }

    @Test
    void duplicateAnswersExistingAndTheFirstAccount() {
        long alice = register("alice", 500);

        CreditResult again = deliver(credit("register:alice", "alice", 500));

        assertThat(again).isEqualTo(new CreditResult(CreditResult.Status.DUPLICATE, alice, 500, Account.EXISTING));
    }

    @Test
    void rotatedAwayTokenCreditsItsFormerAccountAndStaysRevoked() {
        long alice = register("alice", 500);
        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));

        CreditResult result = deliver(credit("checkout:cs_2", "alice", 300, card("fp_other"), T0));

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800, Account.REVOKED_TOKEN));
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(charge(debit("alice", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.findByTokenHash(TokenHashes.of("alice-2"))).map(UserRecord::balanceCents).contains(800L);
    }

    @Test
    void revokedTokenWinsOverTheCardOfAnotherAccount() {
        long alice = register("alice", 500);
        long bob = registerWithCard("bob", 100, "fp_bob");
        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));

        CreditResult result = deliver(credit("checkout:cs_2", "alice", 300, card("fp_bob"), T0));

        assertThat(result.account()).isEqualTo(Account.REVOKED_TOKEN);
        assertThat(result.userId()).isEqualTo(alice);
        assertThat(balanceOf(bob)).isEqualTo(100);
    }

    @Test
    void unknownTokenWithAKnownCardCreditsThatAccountWithoutAttachingTheToken() {
        long alice = registerWithCard("alice", 500, "fp_alice");

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "stranger", 300, card("fp_alice"), "cs_2", T0));

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800, Account.IDENTIFIED));
        assertThat(store.findByTokenHash(TokenHashes.of("stranger"))).isEmpty();
        assertThat(charge(debit("stranger", 1))).isEqualTo(ChargeResult.notRegistered());
    }

    @Test
    void identifiedWithoutCheckoutIdAttachesNothing() {
        long alice = registerWithCard("alice", 500, "fp_alice");

        CreditResult result = deliver(credit("checkout:cs_2", "stranger", 300, card("fp_alice"), T0));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(result.userId()).isEqualTo(alice);
        assertThat(store.findByTokenHash(TokenHashes.of("stranger"))).isEmpty();
    }

    @Test
    void verifiedEmailIdentifiesIgnoringCase() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500, verifiedEmail("Alice@Example.com"), T0)).userId();

        CreditResult result = deliver(credit("checkout:cs_2", "phone", 300, verifiedEmail("aLICE@example.COM"), T0));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(result.userId()).isEqualTo(alice);
        assertThat(balanceOf(alice)).isEqualTo(800);
    }

    @Test
    void verifiedEmailWinsOverCard() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500, verifiedEmail("alice@example.com"), at(1))).userId();
        long bob = registerWithCard("bob", 100, "fp_bob");

        CreditResult result = deliver(credit("checkout:cs_2", "phone", 300,
                new PaymentProfile(null, null, "alice@example.com", "fp_bob"), at(3)));

        assertThat(result.userId()).isEqualTo(alice);
        assertThat(balanceOf(bob)).isEqualTo(100);
    }

    @Test
    void unknownVerifiedEmailFallsBackToTheCard() {
        long bob = registerWithCard("bob", 100, "fp_bob");

        CreditResult result = deliver(credit("checkout:cs_2", "phone", 300,
                new PaymentProfile(null, null, "nobody@example.com", "fp_bob"), T0));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(result.userId()).isEqualTo(bob);
    }

    @Test
    void theOldestAccountWithTheCardIsIdentified() {
        long first = deliver(credit("checkout:cs_1", "first", 100, PaymentProfile.empty(), at(1))).userId();
        long second = deliver(credit("checkout:cs_2", "second", 100, card("fp_shared"), at(2))).userId();
        deliver(credit("checkout:cs_3", "first", 100, card("fp_shared"), at(3)));

        CreditResult result = deliver(credit("checkout:cs_4", "third", 100, card("fp_shared"), at(4)));

        assertThat(result.userId()).isEqualTo(first);
        assertThat(balanceOf(second)).isEqualTo(100);
    }

    @Test
    void pendingClaimByThePayingTokenMakesTheCreditLinked() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_2", "alice-phone", T0));

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "alice-phone", 300, card("fp_alice"), "cs_2", at(5)));

        assertThat(result).isEqualTo(new CreditResult(CreditResult.Status.APPLIED, alice, 800, Account.LINKED));
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).map(UserRecord::userId).contains(alice);
    }

    @Test
    void pendingClaimByAnotherTokenDoesNotLink() {
        registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_2", "someone-else", T0));

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "alice-phone", 300, card("fp_alice"), "cs_2", at(5)));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).isEmpty();
        assertThat(store.findByTokenHash(TokenHashes.of("someone-else"))).isEmpty();
    }

    @Test
    void expiredPendingClaimDoesNotLink() {
        registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_2", "alice-phone", T0));

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "alice-phone", 300, card("fp_alice"), "cs_2",
                T0.plus(StoreFixtures.CLAIM_WINDOW).plusSeconds(1)));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).isEmpty();
    }

    @Test
    void pendingClaimOfAnotherCheckoutDoesNotLink() {
        registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_other", "alice-phone", T0));

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "alice-phone", 300, card("fp_alice"), "cs_2", T0));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(store.findByTokenHash(TokenHashes.of("alice-phone"))).isEmpty();
    }

    @Test
    void unknownTokenAndUnknownPayerCreateAnAccountTheTokenOpens() {
        CreditResult result = deliver(checkoutCredit("checkout:cs_1", "alice", 300, card("fp_alice"), "cs_1", T0));

        assertThat(result.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(result.account()).isEqualTo(Account.CREATED);
        assertThat(result.balanceCents()).isEqualTo(300);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).map(UserRecord::userId).contains(result.userId());
        assertThat(store.findByCardFingerprint("fp_alice")).as("not vouched for until the browser returns").isEmpty();

        assertThat(store.claimCheckout(claim("cs_1", "alice", at(1))).status())
                .isEqualTo(dev.stripeflare.spi.ClaimResult.Status.ALREADY_LINKED);
        assertThat(store.findByCardFingerprint("fp_alice")).map(UserRecord::userId).contains(result.userId());
    }

    @Test
    void vouchedCreditRecordsThePayersCardOnTheAccountItCreates() {
        CreditResult result = deliver(credit("checkout:cs_1", "alice", 300, card("fp_alice"), T0));

        assertThat(result.account()).isEqualTo(Account.CREATED);
        assertThat(store.findByCardFingerprint("fp_alice")).map(UserRecord::userId).contains(result.userId());
    }

    @Test
    void tokenOfADeletedAccountPaysIntoANewAccountItDoesNotOpen() {
        long alice = register("alice", 500);
        store.deleteUser(alice);

        CreditResult result = deliver(credit("checkout:cs_2", "alice", 300, card("fp_new"), T0));

        assertThat(result.account()).isEqualTo(Account.CREATED);
        assertThat(result.userId()).isNotEqualTo(alice);
        assertThat(balanceOf(result.userId())).isEqualTo(300);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
        assertThat(charge(debit("alice", 1))).isEqualTo(ChargeResult.notRegistered());
        assertThat(store.findByCardFingerprint("fp_new")).map(UserRecord::userId).contains(result.userId());
    }

    @Test
    void tokenOfADeletedAccountWithAKnownCardIsIdentifiedButNotAttached() {
        long alice = register("alice", 500);
        long bob = registerWithCard("bob", 100, "fp_bob");
        store.deleteUser(alice);

        CreditResult result = deliver(checkoutCredit("checkout:cs_2", "alice", 300, card("fp_bob"), "cs_2", T0));

        assertThat(result.account()).isEqualTo(Account.IDENTIFIED);
        assertThat(result.userId()).isEqualTo(bob);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
    }
}
