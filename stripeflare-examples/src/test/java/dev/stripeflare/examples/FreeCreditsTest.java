package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.GrantResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.store.h2.H2UserStore;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

/** Runs the README's "Free credits" code ({@link FreeCredits}) against H2 wallets. */
class FreeCreditsTest {

    private static Stripeflare.Builder builder() {
        return Stripeflare.builder()
                .userStore(H2UserStore.inMemory("free-" + UUID.randomUUID()))
                .dbSecret("free-credits-db-secret-32+-random-characters")
                .webhookSigningSecret("whsec_free_credits_example")
                .stripeSecretKey("sk_test_free")
                .paymentLink("https://buy.stripe.com/test_free");
    }

    @Test
    void aVisitorsFirstChargeOpensAnAccountWithTheAllowanceAndAWelcomeBonusIsGivenOnce() throws Exception {
        try (Wallet wallet = FreeCredits.withFreeUseBeforePaying(builder())) {
            Session visitor = wallet.session(null);

            ChargeResult first = wallet.charge(visitor.accessToken(), 4);
            GrantResult bonus = FreeCredits.welcomeBonus(wallet, visitor.accessToken());
            GrantResult again = FreeCredits.welcomeBonus(wallet, visitor.accessToken());

            assertThat(first).isEqualTo(ChargeResult.charged(6));
            assertThat(bonus.applied()).isTrue();
            assertThat(again.applied()).isFalse();
            assertThat(wallet.lookupUser(visitor.accessToken()).orElseThrow().grantedCents()).isEqualTo(506);
            assertThat(wallet.ledger(visitor.accessToken())).extracting(LedgerEntry::kind)
                    .containsExactly(LedgerEntryKind.GRANT, LedgerEntryKind.CHARGE, LedgerEntryKind.GRANT);

            // An account is its cookie: a new token is a new visitor with a new allowance.
            Session afterClearingCookies = wallet.session(null);
            assertThat(wallet.charge(afterClearingCookies.accessToken(), 10)).isEqualTo(ChargeResult.charged(0));

            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            try {
                ScheduledFuture<?> sweep = FreeCredits.sweep(scheduler, wallet);
                assertThat(sweep.isDone()).isFalse();
            } finally {
                scheduler.shutdownNow();
            }
        }
    }

    @Test
    void withoutTheOptInOnlyAccountsGetTheAllowance() {
        try (Wallet wallet = FreeCredits.withAllowance(builder())) {
            Session visitor = wallet.session(null);

            assertThat(wallet.charge(visitor.accessToken(), 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
            assertThat(wallet.lookupUser(visitor.accessToken())).isEmpty();
        }
    }
}
