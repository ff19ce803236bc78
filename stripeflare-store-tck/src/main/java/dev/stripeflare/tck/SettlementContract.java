package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.CreditResult;
import org.junit.jupiter.api.Test;

/** Operation ids recorded as settled without moving money. */
abstract class SettlementContract extends StoreContractSupport {

    @Test
    void recordSettledIsTrueFirstAndFalseAfter() {
        assertThat(store.recordSettled("checkout:cs_eur", "currency eur", T0)).isTrue();
        assertThat(store.recordSettled("checkout:cs_eur", "currency eur", T0)).isFalse();
    }

    @Test
    void creditWithSettledOperationIdIsDuplicateAndMovesNoMoney() {
        store.recordSettled("checkout:cs_eur", "currency eur", T0);

        CreditResult result = store.credit(credit("checkout:cs_eur", "alice", 500));

        assertThat(result.status()).isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(store.findByTokenHash(TokenHashes.of("alice"))).isEmpty();
    }

    @Test
    void settledIdDoesNotTouchAnExistingAccount() {
        long alice = register("alice", 500);
        store.recordSettled("checkout:cs_eur", "currency eur", T0);
        AccountState before = stateOf(alice);

        assertThat(store.credit(credit("checkout:cs_eur", "alice", 500)).status())
                .isEqualTo(CreditResult.Status.DUPLICATE);
        assertThat(stateOf(alice)).isEqualTo(before);
    }

    @Test
    void settlingAnAppliedCreditIdAnswersFalseAndChangesNothing() {
        long alice = deliver(credit("checkout:cs_1", "alice", 500)).userId();
        AccountState before = stateOf(alice);

        assertThat(store.recordSettled("checkout:cs_1", "late", T0)).isFalse();
        assertThat(stateOf(alice)).isEqualTo(before);
    }
}
