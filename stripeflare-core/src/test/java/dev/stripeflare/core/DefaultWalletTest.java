package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.CheckoutOutcome;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.InvalidIdempotencyKeyException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnknownTokenException;
import dev.stripeflare.User;
import dev.stripeflare.Wallet;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultWalletTest {
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final Wallet wallet = TestWallets.builder(store).loginByPayment(true).build();
    private final AccessTokens hasher = new AccessTokens(new SecureRandom());
    private int payments;

    @AfterEach
    void closeWallet() {
        wallet.close();
    }

    /** A registered user: a fresh token credited through the store, as a paid checkout would. */
    private String registeredToken(long cents) {
        String token = wallet.session(null).accessToken();
        pay(token, cents);
        return token;
    }

    /** A first payment on {@code token}'s link with a new card: checkout {@code "cs_" + n}, claimable for an hour. */
    private CreditResult pay(String token, long cents) {
        return pay(token, cents, "fp_card_" + (payments + 1));
    }

    private CreditResult pay(String token, long cents, String card) {
        payments++;
        CreditResult result = store.credit(new PaymentCredit("checkout:cs_" + payments, hasher.hash(token), cents,
                "pi_" + payments, new PaymentProfile("Ada Lovelace", "ada@example.com", null, card), "cs_" + payments,
                TestWallets.NOW.plusSeconds(3_600), null, TestWallets.NOW));
        if (result.account() != CreditResult.Account.IDENTIFIED) {
            // The paying browser comes back to its own account, so the store records the card.
            wallet.completeCheckout(token, "cs_" + payments);
        }
        return result;
    }

    /** {@code token} pays with {@code account}'s card on another device, then its browser returns. */
    private void logInByPayment(String token, long cents, String account) {
        String card = wallet.lookupUser(account).orElseThrow().cardFingerprint().orElseThrow();
        assertThat(pay(token, cents, card).account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(wallet.completeCheckout(token, "cs_" + payments).outcome()).isEqualTo(CheckoutOutcome.LINKED);
    }

    private long balance(String token) {
        return wallet.lookupUser(token).orElseThrow().balanceCents();
    }

    private void assertBalanceEqualsLedger(String token) {
        long sum = wallet.ledger(token).stream().mapToLong(LedgerEntry::amountCents).sum();
        assertThat(balance(token)).isEqualTo(sum);
    }

    @Test
    void everyCallFailsAfterCloseEvenThoseThatWouldNotReadTheStore() {
        String token = registeredToken(500);
        wallet.close();

        assertThatThrownBy(() -> wallet.session(null)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> wallet.session(token)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> wallet.paymentLink(token)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> wallet.charge(token, 1)).isInstanceOf(StoreException.class);
    }

    @Test
    void sessionWithoutTokenMintsOneAndStoresNothing() {
        Session session = wallet.session(null);

        assertThat(session.isNew()).isTrue();
        assertThat(session.user()).isEmpty();
        assertThat(session.registered()).isFalse();
        assertThat(session.balanceCents()).isZero();
        assertThat(AccessTokens.isWellFormed(session.accessToken())).isTrue();
        assertThat(wallet.lookupUser(session.accessToken())).isEmpty();
    }

    @Test
    void sessionKeepsAWellFormedUnknownTokenSoTheVisitorCanPayLater() {
        String token = wallet.session(null).accessToken();

        Session again = wallet.session(token);

        assertThat(again.accessToken()).isEqualTo(token);
        assertThat(again.isNew()).isFalse();
        assertThat(again.user()).isEmpty();
        assertThat(again.paymentLink()).isEqualTo(wallet.paymentLink(token));
    }

    @Test
    void sessionReplacesAMalformedToken() {
        Session session = wallet.session("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

        assertThat(session.isNew()).isTrue();
        assertThat(session.accessToken()).isNotEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    }

    @Test
    void sessionOfAPayingUserCarriesTheAccountAndAReferenceBackToTheToken() {
        String token = registeredToken(500);

        Session session = wallet.session(token);

        assertThat(session.registered()).isTrue();
        User user = session.user().orElseThrow();
        assertThat(user.balanceCents()).isEqualTo(500);
        assertThat(user.email()).contains("ada@example.com");
        assertThat(user.cardFingerprint()).contains("fp_card_1");
        assertThat(user.clientReferenceId()).isEqualTo(session.clientReferenceId());
        assertThat(session.paymentLink())
                .isEqualTo(TestWallets.PAYMENT_LINK + "?client_reference_id=" + session.clientReferenceId());
        assertThat(new ReferenceCipher(List.of(TestWallets.DB_SECRET)).decrypt(session.clientReferenceId()))
                .contains(token);
        assertThat(session.toString()).doesNotContain(token);
    }

    @Test
    void lookupFindsTheAccountAPhoneLoggedInToByPayment() {
        String laptop = registeredToken(500);
        long accountId = wallet.lookupUser(laptop).orElseThrow().userId();
        String phone = wallet.session(null).accessToken();

        logInByPayment(phone, 300, laptop);

        assertThat(wallet.lookupUser(phone).orElseThrow().userId()).isEqualTo(accountId);
        assertThat(balance(laptop)).isEqualTo(800);
        assertThat(balance(phone)).isEqualTo(800);
    }

    @Test
    void lookupOfMalformedOrUnknownTokensIsEmpty() {
        assertThat(wallet.lookupUser("")).isEmpty();
        assertThat(wallet.lookupUser("not-a-token")).isEmpty();
        assertThat(wallet.lookupUser(wallet.session(null).accessToken())).isEmpty();
        assertThatThrownBy(() -> wallet.lookupUser(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void chargeDebitsAndRecordsALedgerEntry() {
        String token = registeredToken(500);

        ChargeResult result = wallet.charge(ChargeRequest.of(token, 120).withMemo("GET /report"));

        assertThat(result).isEqualTo(ChargeResult.charged(380));
        assertThat(result.message()).isEqualTo("Successfully charged");
        List<LedgerEntry> ledger = wallet.ledger(token);
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(1).amountCents()).isEqualTo(-120);
        assertThat(ledger.get(1).balanceAfterCents()).isEqualTo(380);
        assertThat(ledger.get(1).kind()).isEqualTo(LedgerEntryKind.CHARGE);
        assertThat(ledger.get(1).memo()).isEqualTo("GET /report");
        assertThat(ledger.get(1).at()).isEqualTo(TestWallets.NOW);
        assertBalanceEqualsLedger(token);
    }

    @Test
    void chargeAboveBalanceFailsAndChangesNothing() {
        String token = registeredToken(100);

        ChargeResult result = wallet.charge(token, 101);

        assertThat(result).isEqualTo(ChargeResult.insufficientBalance(100));
        assertThat(result.message()).isEqualTo("User balance too low");
        assertThat(wallet.ledger(token)).hasSize(1);
        assertThat(balance(token)).isEqualTo(100);
    }

    @Test
    void overdraftIsAllowedOnlyWhenAsked() {
        String token = registeredToken(100);

        assertThat(wallet.charge(ChargeRequest.of(token, 150).allowingNegativeBalance()))
                .isEqualTo(ChargeResult.charged(-50));
        assertThat(wallet.charge(token, 1).outcome()).isEqualTo(ChargeOutcome.INSUFFICIENT_BALANCE);
        assertBalanceEqualsLedger(token);
    }

    @Test
    void visitorsAndStrangersCannotBeCharged() {
        assertThat(wallet.charge(wallet.session(null).accessToken(), 1)).isEqualTo(ChargeResult.notRegistered());
        assertThat(wallet.charge("garbage", 1).message()).isEqualTo("User is not signed up yet and cannot be charged");
        assertThat(wallet.charge(" ", 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
    }

    @Test
    void invalidAmountsAreTypedErrorsAndChangeNothing() {
        String token = registeredToken(100);
        wallet.charge(ChargeRequest.of(token, 150).allowingNegativeBalance());

        assertThatThrownBy(() -> wallet.charge(token, 0)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> wallet.charge(token, -5)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> wallet.charge(ChargeRequest.of(token, Long.MAX_VALUE).allowingNegativeBalance()))
                .as("-50 - Long.MAX_VALUE overflows")
                .isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> wallet.charge(null, 5)).isInstanceOf(NullPointerException.class);

        assertThat(balance(token)).isEqualTo(-50);
        assertThat(wallet.ledger(token)).hasSize(2);
    }

    @Test
    void badIdempotencyKeysAreTypedErrors() {
        String token = registeredToken(100);

        assertThatThrownBy(() -> ChargeRequest.of(token, 1).withIdempotencyKey(" "))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThatThrownBy(() -> ChargeRequest.of(token, 1).withIdempotencyKey("k".repeat(256)))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThatThrownBy(() -> ChargeRequest.of(token, 1).withIdempotencyKey("a\nb"))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
        assertThat(balance(token)).isEqualTo(100);
    }

    @Test
    void aRetriedIdempotencyKeyReturnsTheFirstResultAndMovesNoMoney() {
        String token = registeredToken(500);
        ChargeRequest request = ChargeRequest.of(token, 100).withIdempotencyKey("req-42");

        ChargeResult first = wallet.charge(request);
        wallet.charge(token, 50);
        ChargeResult retry = wallet.charge(request);

        assertThat(first).isEqualTo(ChargeResult.charged(400));
        assertThat(retry).isEqualTo(ChargeResult.replayed(400));
        assertThat(retry.charged()).isTrue();
        assertThat(balance(token)).isEqualTo(350);
        assertThat(wallet.ledger(token)).hasSize(3);
    }

    @Test
    void reusingAKeyForAnotherAmountIsAnErrorAndChangesNothing() {
        String token = registeredToken(500);
        wallet.charge(ChargeRequest.of(token, 100).withIdempotencyKey("req-1"));

        assertThatThrownBy(() -> wallet.charge(ChargeRequest.of(token, 99).withIdempotencyKey("req-1")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(balance(token)).isEqualTo(400);
        assertThat(wallet.ledger(token)).hasSize(2);
    }

    @Test
    void rotationReplacesOnlyThePresentedToken() {
        String laptop = registeredToken(500);
        User before = wallet.lookupUser(laptop).orElseThrow();
        String phone = wallet.session(null).accessToken();
        logInByPayment(phone, 100, laptop);
        wallet.charge(laptop, 25);
        List<LedgerEntry> ledgerBefore = wallet.ledger(laptop);

        String rotated = wallet.rotateToken(laptop);

        assertThat(rotated).isNotEqualTo(laptop);
        assertThat(AccessTokens.isWellFormed(rotated)).isTrue();
        assertThat(wallet.lookupUser(laptop)).isEmpty();
        User after = wallet.lookupUser(rotated).orElseThrow();
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.balanceCents()).isEqualTo(575);
        assertThat(after.email()).isEqualTo(before.email());
        assertThat(wallet.ledger(rotated)).isEqualTo(ledgerBefore);
        assertThat(wallet.lookupUser(phone).orElseThrow().userId()).isEqualTo(before.userId());
        assertThat(wallet.charge(laptop, 1).outcome()).isEqualTo(ChargeOutcome.NOT_REGISTERED);
    }

    @Test
    void rotatingAnUnknownOrMalformedTokenFailsAndChangesNothing() {
        String visitor = wallet.session(null).accessToken();

        assertThatThrownBy(() -> wallet.rotateToken(visitor)).isInstanceOf(UnknownTokenException.class);
        assertThatThrownBy(() -> wallet.rotateToken("nonsense")).isInstanceOf(UnknownTokenException.class);
        assertThat(wallet.lookupUser(visitor)).isEmpty();
    }

    @Test
    void concurrentChargesThroughTheWalletNeverOverdrawAndConserveMoney() throws Exception {
        String token = registeredToken(5_000);
        int threads = 8;
        int attemptsPerThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger charged = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        ChargeResult result = wallet.charge(token, 1);
                        assertThat(result.balanceCents()).isGreaterThanOrEqualTo(0);
                        if (result.charged()) {
                            charged.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(charged.get()).isEqualTo(5_000);
        assertThat(balance(token)).isZero();
        assertThat(wallet.ledger(token)).hasSize(5_001);
        assertBalanceEqualsLedger(token);
    }

    @Test
    void aClosedWalletFailsWithAStoreException() {
        String token = registeredToken(100);
        wallet.close();

        assertThatThrownBy(() -> wallet.charge(token, 1)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> wallet.lookupUser(token)).isInstanceOf(StoreException.class);
    }
}
