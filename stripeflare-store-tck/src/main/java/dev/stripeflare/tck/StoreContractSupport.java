package dev.stripeflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of the contract shares: a fresh store per test, closed after it, and a check
 * after every test that each account the test touched still has balance == sum(ledger).
 */
abstract class StoreContractSupport {

    UserStore store;
    private final Set<Long> touchedUserIds = ConcurrentHashMap.newKeySet();

    /** A fresh, empty store; see {@link UserStoreContract#newStore()}. */
    abstract UserStore newStore();

    @BeforeEach
    final void openStore() {
        store = newStore();
        assertThat(store).as("newStore()").isNotNull();
    }

    @AfterEach
    final void checkLedgersThenClose() {
        try {
            for (long userId : touchedUserIds) {
                if (store.findById(userId).isPresent()) {
                    LedgerAssertions.assertBalanceMatchesLedger(store, userId);
                }
            }
        } finally {
            store.close();
        }
    }

    /** Credits through the store, remembering the account for the after-test ledger check. */
    final CreditResult deliver(PaymentCredit credit) {
        CreditResult result = store.credit(credit);
        touchedUserIds.add(result.userId());
        return result;
    }

    /** {@link StoreFixtures#link}, remembering the account for the after-test ledger check. */
    final CreditResult link(String operationId, String token, long cents, long userId) {
        CreditResult result = StoreFixtures.link(store, operationId, token, cents, userId);
        touchedUserIds.add(result.userId());
        return result;
    }

    /** Creates an account for {@code token} holding {@code cents}; returns its id. */
    final long register(String token, long cents) {
        CreditResult result = deliver(StoreFixtures.credit("register:" + token, token, cents));
        assertThat(result.account()).as("account of a first credit to %s", token)
                .isEqualTo(CreditResult.Account.CREATED);
        return result.userId();
    }

    /** Creates an account for {@code token} holding {@code cents}, paid with card {@code cardFingerprint}. */
    final long registerWithCard(String token, long cents, String cardFingerprint) {
        CreditResult result = deliver(StoreFixtures.credit("register:" + token, token, cents,
                StoreFixtures.card(cardFingerprint), StoreFixtures.T0));
        assertThat(result.account()).as("account of a first credit to %s", token)
                .isEqualTo(CreditResult.Account.CREATED);
        return result.userId();
    }

    /**
     * Gives {@code newToken} access to the account {@code existingToken} opens, the only way the
     * SPI allows: a payment of {@code cents} on {@code newToken}'s link with the account's card
     * (the account must have one), then the claim of that checkout by {@code newToken}'s browser.
     * Returns the account's id.
     */
    final long linkDevice(String existingToken, String newToken, String operationId, long cents) {
        UserRecord account = store.findByTokenHash(TokenHashes.of(existingToken))
                .orElseThrow(() -> new AssertionError("no account for " + existingToken));
        assertThat(account.cardFingerprint()).as("card of the account to link to").isNotNull();
        String checkoutId = "cs_link_" + operationId;
        CreditResult credited = deliver(StoreFixtures.checkoutCredit(operationId, newToken, cents,
                StoreFixtures.card(account.cardFingerprint()), checkoutId, StoreFixtures.T0));
        assertThat(credited.account()).as("credit of a new device").isEqualTo(CreditResult.Account.IDENTIFIED);
        ClaimResult claimed = store.claimCheckout(StoreFixtures.claim(checkoutId, newToken, StoreFixtures.T0));
        assertThat(claimed.status()).as("claim of a new device").isEqualTo(ClaimResult.Status.LINKED);
        return account.userId();
    }

    final ChargeResult charge(Debit debit) {
        return store.charge(debit);
    }

    final UserRecord account(long userId) {
        return store.findById(userId).orElseThrow(() -> new AssertionError("no account " + userId));
    }

    final long balanceOf(long userId) {
        return account(userId).balanceCents();
    }

    final List<LedgerEntry> ledgerOf(long userId) {
        return store.ledger(userId);
    }

    /** Everything a store keeps about one account, to compare before and after a failed call. */
    record AccountState(Optional<UserRecord> account, List<LedgerEntry> ledger) { }

    final AccountState stateOf(long userId) {
        return new AccountState(store.findById(userId), store.ledger(userId));
    }

    final void assertLedgerConsistent(long userId) {
        LedgerAssertions.assertBalanceMatchesLedger(store, userId);
    }
}
