package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.store.memory.InMemoryUserStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 5: a token the wallet never minted is treated as absent — the session mints a
 * replacement — while legacy tokens ({@code sf_} + 43, minted before tokens carried a MAC) keep
 * opening the accounts that hold them. Root cause: any well-formed string was accepted as a
 * visitor token, so a planted cookie fixed the victim's session.
 */
class TokenAuthenticityTest {
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final Wallet wallet = TestWallets.builder(store).build();
    private int payments;

    @AfterEach
    void closeWallet() {
        wallet.close();
    }

    private void pay(String token, long cents) {
        payments++;
        store.credit(new PaymentCredit("checkout:cs_" + payments, TokenHashes.of(token), cents, "pi_" + payments,
                new PaymentProfile("Ada Lovelace", "ada@example.com", null, "fp_card_" + payments),
                null, null, null, TestWallets.NOW));
    }

    @Test
    void aMintedTokenIsKeptAsAVisitorToken() {
        String token = wallet.session(null).accessToken();

        Session again = wallet.session(token);
        assertThat(again.isNew()).isFalse();
        assertThat(again.accessToken()).isEqualTo(token);
    }

    @Test
    void aForgedTokenOfTheCurrentShapeIsReplaced() {
        String forged = "sf2_" + "A".repeat(64);

        Session session = wallet.session(forged);
        assertThat(session.isNew()).isTrue();
        assertThat(session.accessToken()).isNotEqualTo(forged).startsWith("sf2_");
    }

    @Test
    void aTokenMintedUnderAnotherDbSecretIsReplacedEvenIfItsHashHoldsAnAccount() {
        Wallet other = TestWallets.builder(new InMemoryUserStore())
                .dbSecret("another-db-secret-that-is-long-enough-0123456789").build();
        String foreign = other.session(null).accessToken();
        pay(foreign, 500);

        Session session = wallet.session(foreign);
        assertThat(session.isNew()).isTrue();
        assertThat(session.registered()).isFalse();
        assertThat(wallet.charge(foreign, 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
        other.close();
    }

    @Test
    void aLegacyTokenThatOpensAnAccountKeepsWorking() {
        String legacy = "sf_" + "b".repeat(43);
        pay(legacy, 300);

        Session session = wallet.session(legacy);
        assertThat(session.isNew()).isFalse();
        assertThat(session.accessToken()).isEqualTo(legacy);
        assertThat(session.balanceCents()).isEqualTo(300);
        assertThat(wallet.charge(legacy, 25).outcome()).isEqualTo(ChargeOutcome.CHARGED);
        assertThat(wallet.ledger(legacy)).hasSize(2);
    }

    @Test
    void aLegacyTokenWithoutAnAccountIsReplacedByANewFormatToken() {
        Session session = wallet.session("sf_" + "c".repeat(43));

        assertThat(session.isNew()).isTrue();
        assertThat(session.accessToken()).startsWith("sf2_");
    }

    @Test
    void rotatingALegacyTokenGivesANewFormatTokenOnTheSameAccount() {
        String legacy = "sf_" + "d".repeat(43);
        pay(legacy, 120);

        String rotated = wallet.rotateToken(legacy);
        assertThat(rotated).startsWith("sf2_");
        assertThat(wallet.session(rotated).balanceCents()).isEqualTo(120);
        assertThat(wallet.session(legacy).isNew()).isTrue();
    }
}
