package dev.stripeflare.tck;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.paymentReferenceOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A payer's card and verified email are recorded on an account only when the payer is vouched
 * for, so that a payment through a stranger's link never ties the payer to the stranger.
 */
abstract class PayerIdentityContract extends StoreContractSupport {

    private static final Instant UNTIL = T0.plusSeconds(3_600);
    private static final PaymentProfile VICTIM_CARD = new PaymentProfile("Victim", "v@example.com", null, "fp_victim");

    private CreditResult checkoutPaid(String checkoutId, String linkToken, long cents, PaymentProfile payer) {
        return deliver(new PaymentCredit("checkout:" + checkoutId, TokenHashes.of(linkToken), cents,
                paymentReferenceOf(checkoutId), payer, checkoutId, UNTIL, null, T0));
    }

    private ClaimResult returnFrom(String checkoutId, String browserToken) {
        return store.claimCheckout(new CheckoutClaim(checkoutId, TokenHashes.of(browserToken), T0.plusSeconds(5), UNTIL));
    }

    @Test
    void paymentThroughAStrangersLinkDoesNotTieThePayersCardToTheStrangersAccount() {
        // The attacker sends the link of a fresh token; the victim pays it with a new card.
        CreditResult funded = checkoutPaid("cs_1", "attacker", 500, VICTIM_CARD);
        assertThat(funded.account()).isEqualTo(CreditResult.Account.CREATED);
        // The victim's browser returns with its own token: refused, nothing recorded.
        assertThat(returnFrom("cs_1", "victim-browser").status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(account(funded.userId()).cardFingerprint()).isNull();
        assertThat(store.findByCardFingerprint("fp_victim")).isEmpty();

        // The victim later pays from a fresh browser with the same card: a new account of their own.
        CreditResult own = checkoutPaid("cs_2", "victim-browser-2", 700, VICTIM_CARD);
        assertThat(own.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(own.userId()).isNotEqualTo(funded.userId());
        assertThat(returnFrom("cs_2", "victim-browser-2").status()).isEqualTo(ClaimResult.Status.ALREADY_LINKED);
        assertThat(balanceOf(funded.userId())).isEqualTo(500);
        assertThat(balanceOf(own.userId())).isEqualTo(700);
        assertThat(store.findByCardFingerprint("fp_victim")).map(r -> r.userId()).contains(own.userId());
    }

    @Test
    void theAccountsOwnBrowserReturningRecordsTheIdentityAndClosesTheCheckout() {
        CreditResult first = checkoutPaid("cs_1", "ada-laptop", 500, VICTIM_CARD);
        assertThat(store.findByCardFingerprint("fp_victim")).isEmpty();

        assertThat(returnFrom("cs_1", "ada-laptop").status()).isEqualTo(ClaimResult.Status.ALREADY_LINKED);

        assertThat(account(first.userId()).cardFingerprint()).isEqualTo("fp_victim");
        // A second device paying with the same card lands in the same account.
        CreditResult phone = checkoutPaid("cs_2", "ada-phone", 100, VICTIM_CARD);
        assertThat(phone.account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(phone.userId()).isEqualTo(first.userId());
    }

    @Test
    void theAccountsBrowserReturningWithARotatedCookieIsVouchedFor() {
        // The browser that paid rotates its cookie before it comes back: the token it presents
        // is not the checkout's, but opens the account the checkout paid into (ADR 19: a token
        // of the account). The bank test's attackers meet this rule when the device they pick
        // is one of the link owner's; a store cannot tell them from the payer's own return.
        CreditResult first = checkoutPaid("cs_1", "ada-laptop", 500, VICTIM_CARD);
        assertThat(store.rotateToken(TokenHashes.of("ada-laptop"), TokenHashes.of("ada-laptop-2"))).isTrue();

        assertThat(returnFrom("cs_1", "ada-laptop-2"))
                .isEqualTo(new ClaimResult(ClaimResult.Status.ALREADY_LINKED, java.util.OptionalLong.of(first.userId())));

        assertThat(account(first.userId()).cardFingerprint()).isEqualTo("fp_victim");
        assertThat(returnFrom("cs_1", "someone-else").status()).as("closed to everyone else")
                .isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(checkoutPaid("cs_2", "ada-phone", 100, VICTIM_CARD).userId()).isEqualTo(first.userId());
    }

    @Test
    void aBrowserThatReturnedBeforeTheWebhookIsVouchedFor() {
        assertThat(returnFrom("cs_1", "ada-laptop").status()).isEqualTo(ClaimResult.Status.PENDING);

        CreditResult first = checkoutPaid("cs_1", "ada-laptop", 500, VICTIM_CARD);

        assertThat(first.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(account(first.userId()).cardFingerprint()).isEqualTo("fp_victim");
    }

    @Test
    void topUpThroughAStrangersRegisteredLinkDoesNotRecordThePayersCard() {
        CreditResult attacker = checkoutPaid("cs_1", "attacker", 100,
                new PaymentProfile(null, null, "attacker@example.com", null));
        returnFrom("cs_1", "attacker");

        CreditResult gift = checkoutPaid("cs_2", "attacker", 500, VICTIM_CARD);

        assertThat(gift.account()).isEqualTo(CreditResult.Account.EXISTING);
        assertThat(account(attacker.userId()).cardFingerprint()).isNull();
        assertThat(store.findByCardFingerprint("fp_victim")).isEmpty();
    }

    @Test
    void aLeakedReturnUrlIsUselessOnceTheAccountsBrowserCameBack() {
        // The victim pays the attacker's link; the attacker never sees the checkout id. Even if
        // it leaked later, the victim's own return closed... here the link owner's browser
        // returns first, and no one else can claim afterwards.
        CreditResult created = checkoutPaid("cs_1", "owner", 500, VICTIM_CARD);
        assertThat(returnFrom("cs_1", "owner").status()).isEqualTo(ClaimResult.Status.ALREADY_LINKED);

        assertThat(returnFrom("cs_1", "owner-other-device").status()).isEqualTo(ClaimResult.Status.REFUSED);
        assertThat(store.findByTokenHash(TokenHashes.of("owner-other-device"))).isEmpty();
        assertThat(balanceOf(created.userId())).isEqualTo(500);
    }
}
