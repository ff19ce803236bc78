package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.CLAIM_WINDOW;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.card;
import static dev.stripeflare.tck.StoreFixtures.checkoutCredit;
import static dev.stripeflare.tck.StoreFixtures.claim;
import static dev.stripeflare.tck.StoreFixtures.debit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.ClaimResult.Status;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Checkout claims: the browser that completed a checkout gets its token attached to the account
 * the checkout paid into — only that checkout's token, once, in time, not revoked, opening no
 * other account; before the credit, as a pending claim the credit honours.
 */
abstract class CheckoutClaimContract extends StoreContractSupport {

    /** Alice's account (card fp_alice, 500 cents) and a 300-cent checkout cs_2 paid with her card on "phone"'s link. */
    private long alicePaidOnPhone() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        CreditResult paid = deliver(checkoutCredit("checkout:cs_2", "phone", 300, card("fp_alice"), "cs_2", T0));
        assertThat(paid.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        return alice;
    }

    private Optional<Long> accountOf(String token) {
        return store.findByTokenHash(TokenHashes.of(token)).map(UserRecord::userId);
    }

    @Test
    void theCheckoutsTokenIsLinkedOnce() {
        long alice = alicePaidOnPhone();

        ClaimResult result = store.claimCheckout(claim("cs_2", "phone", at(60)));

        assertThat(result).isEqualTo(new ClaimResult(Status.LINKED, OptionalLong.of(alice)));
        assertThat(accountOf("phone")).contains(alice);
        assertThat(charge(debit("phone", 800))).isEqualTo(ChargeResult.charged(0));
    }

    @Test
    void repeatedClaimIsAlreadyLinkedAndChangesNothing() {
        long alice = alicePaidOnPhone();
        store.claimCheckout(claim("cs_2", "phone", at(60)));
        AccountState before = stateOf(alice);

        ClaimResult again = store.claimCheckout(claim("cs_2", "phone", at(61)));

        assertThat(again).isEqualTo(new ClaimResult(Status.ALREADY_LINKED, OptionalLong.of(alice)));
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void claimOfATopUpOfTheTokensOwnAccountIsAlreadyLinked() {
        long alice = register("alice", 500);
        deliver(checkoutCredit("checkout:cs_2", "alice", 300, card("fp_alice"), "cs_2", T0));

        ClaimResult result = store.claimCheckout(claim("cs_2", "alice", at(1)));

        assertThat(result).isEqualTo(new ClaimResult(Status.ALREADY_LINKED, OptionalLong.of(alice)));
    }

    @Test
    void claimOfACreatedAccountIsAlreadyLinked() {
        long alice = deliver(checkoutCredit("checkout:cs_1", "alice", 300, card("fp_alice"), "cs_1", T0)).userId();

        assertThat(store.claimCheckout(claim("cs_1", "alice", at(1))))
                .isEqualTo(new ClaimResult(Status.ALREADY_LINKED, OptionalLong.of(alice)));
    }

    @Test
    void claimBeforeTheCreditIsPendingAndTheCreditLinks() {
        long alice = registerWithCard("alice", 500, "fp_alice");

        ClaimResult pending = store.claimCheckout(claim("cs_2", "phone", T0));
        assertThat(pending.status()).isEqualTo(Status.PENDING);
        assertThat(accountOf("phone")).isEmpty();

        CreditResult credited = deliver(checkoutCredit("checkout:cs_2", "phone", 300, card("fp_alice"), "cs_2", at(5)));

        assertThat(credited.account()).isEqualTo(CreditResult.Account.LINKED);
        assertThat(accountOf("phone")).contains(alice);
        assertThat(store.claimCheckout(claim("cs_2", "phone", at(6))).status()).isEqualTo(Status.ALREADY_LINKED);
    }

    @Test
    void repeatedPendingClaimBySameTokenStaysPending() {
        registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_2", "phone", T0));

        assertThat(store.claimCheckout(claim("cs_2", "phone", at(1))).status()).isEqualTo(Status.PENDING);
    }

    @Test
    void secondPendingClaimWithAnotherTokenIsRefusedAndTheFirstStillLinks() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(claim("cs_2", "phone", T0));

        assertThat(store.claimCheckout(claim("cs_2", "intruder", at(1))).status()).isEqualTo(Status.REFUSED);

        deliver(checkoutCredit("checkout:cs_2", "phone", 300, card("fp_alice"), "cs_2", at(5)));
        assertThat(accountOf("phone")).contains(alice);
        assertThat(accountOf("intruder")).isEmpty();
    }

    @Test
    void claimWithAnotherTokenIsRefusedAndChangesNothing() {
        long alice = alicePaidOnPhone();
        AccountState before = stateOf(alice);

        ClaimResult result = store.claimCheckout(claim("cs_2", "intruder", at(60)));

        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(accountOf("intruder")).isEmpty();
        assertThat(stateOf(alice)).isEqualTo(before);
        assertThat(store.claimCheckout(claim("cs_2", "phone", at(61))).status())
                .as("the refused claim did not use the checkout up").isEqualTo(Status.LINKED);
    }

    @Test
    void claimWithARevokedTokenIsRefused() {
        long alice = alicePaidOnPhone();
        // "phone" then opens an account of its own (a payment with a new card) and is rotated away.
        long phoneAccount = deliver(checkoutCredit("checkout:cs_9", "phone", 100, card("fp_phone"), "cs_9", T0)).userId();
        assertThat(phoneAccount).isNotEqualTo(alice);
        assertThat(store.rotateToken(TokenHashes.of("phone"), TokenHashes.of("phone-2"))).isTrue();

        ClaimResult result = store.claimCheckout(claim("cs_2", "phone", at(60)));

        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(accountOf("phone")).isEmpty();
        assertThat(accountOf("phone-2")).contains(phoneAccount);
        assertThat(balanceOf(alice)).isEqualTo(800);
    }

    @Test
    void claimByATokenThatOpensAnotherAccountIsRefused() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        long bob = registerWithCard("bob", 100, "fp_bob");
        // bob's browser pays with alice's card on a token that opens nothing yet, then that token
        // becomes bob's through a claim of bob's own checkout: it now opens bob's account.
        deliver(checkoutCredit("checkout:cs_2", "shared", 300, card("fp_alice"), "cs_2", T0));
        deliver(checkoutCredit("checkout:cs_3", "shared", 200, card("fp_bob"), "cs_3", T0));
        assertThat(store.claimCheckout(claim("cs_3", "shared", at(1))).status()).isEqualTo(Status.LINKED);
        assertThat(accountOf("shared")).contains(bob);

        ClaimResult result = store.claimCheckout(claim("cs_2", "shared", at(2)));

        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(accountOf("shared")).contains(bob);
        assertThat(balanceOf(alice)).isEqualTo(800);
    }

    @Test
    void claimOfACheckoutWhoseAccountWasDeletedIsRefused() {
        long alice = alicePaidOnPhone();
        store.deleteUser(alice);

        ClaimResult result = store.claimCheckout(claim("cs_2", "phone", at(60)));

        assertThat(result.status()).isEqualTo(Status.REFUSED);
        assertThat(accountOf("phone")).isEmpty();
    }

    @Test
    void secondClaimAfterTheLinkedTokenWasRotatedAwayIsRefused() {
        long alice = alicePaidOnPhone();
        store.claimCheckout(claim("cs_2", "phone", at(60)));
        store.rotateToken(TokenHashes.of("phone"), TokenHashes.of("phone-2"));

        assertThat(store.claimCheckout(claim("cs_2", "phone", at(61))).status()).isEqualTo(Status.REFUSED);
        assertThat(store.claimCheckout(claim("cs_2", "phone-2", at(62))).status())
                .as("the rotated token already opens the account").isEqualTo(Status.ALREADY_LINKED);
        assertThat(accountOf("phone")).isEmpty();
        assertThat(accountOf("phone-2")).contains(alice);
    }

    @Test
    void claimAfterTheWindowIsExpiredAndChangesNothing() {
        long alice = alicePaidOnPhone();
        AccountState before = stateOf(alice);

        ClaimResult result = store.claimCheckout(claim("cs_2", "phone", T0.plus(CLAIM_WINDOW).plusSeconds(1)));

        assertThat(result.status()).isEqualTo(Status.EXPIRED);
        assertThat(accountOf("phone")).isEmpty();
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void claimJustBeforeTheWindowClosesLinks() {
        long alice = alicePaidOnPhone();

        ClaimResult result = store.claimCheckout(claim("cs_2", "phone", T0.plus(CLAIM_WINDOW).minusSeconds(1)));

        assertThat(result.status()).isEqualTo(Status.LINKED);
        assertThat(accountOf("phone")).contains(alice);
    }

    @Test
    void claimAfterAnExpiredPendingClaimStillLinksWithinTheCheckoutsWindow() {
        long alice = registerWithCard("alice", 500, "fp_alice");
        store.claimCheckout(new CheckoutClaim("cs_2", TokenHashes.of("phone"), T0, at(10)));
        CreditResult credited = deliver(checkoutCredit("checkout:cs_2", "phone", 300, card("fp_alice"), "cs_2", at(20)));
        assertThat(credited.account()).isEqualTo(CreditResult.Account.IDENTIFIED);

        assertThat(store.claimCheckout(claim("cs_2", "phone", at(30))).status()).isEqualTo(Status.LINKED);
        assertThat(accountOf("phone")).contains(alice);
    }

    @Test
    void checkoutPaidOnARotatedAwayTokenCannotBeClaimed() {
        long alice = register("alice", 500);
        store.rotateToken(TokenHashes.of("alice"), TokenHashes.of("alice-2"));
        deliver(checkoutCredit("checkout:cs_2", "alice", 300, card("fp_x"), "cs_2", T0));

        assertThat(store.claimCheckout(claim("cs_2", "alice", at(1))).status()).isEqualTo(Status.REFUSED);
        assertThat(accountOf("alice")).isEmpty();
        assertThat(balanceOf(alice)).isEqualTo(800);
    }
}
