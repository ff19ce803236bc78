package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.asyncSucceeded;
import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static dev.stripeflare.core.WebhookHarness.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnclaimedPaymentException;
import dev.stripeflare.Wallet;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import dev.stripeflare.store.memory.InMemoryUserStore;
import dev.stripeflare.tck.ConcurrentRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 3: money Stripe collected that the wallet could not credit used to be answered
 * 200 IGNORED or CURRENCY_MISMATCH and logged at DEBUG only, so Stripe stopped retrying and no
 * one noticed. Every such checkout is now kept, exactly once, as an unclaimed payment (logged at
 * WARNING) that an operator assigns to an account or marks refunded.
 */
class Issue11UnclaimedPaymentTest {
    private static final String OWN_LINK = "plink_1SAcmePaymentLink0001";

    private final WebhookHarness harness = new WebhookHarness(builder -> builder.paymentLinkId(OWN_LINK));
    private final CapturedLog log = new CapturedLog(CheckoutCompletedHandler.class);
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        log.close();
        harness.close();
    }

    /** The checkout payload of payment {@code n} carrying a reference made under another DB_SECRET. */
    private String underAnotherSecret(int n) {
        try (Wallet otherInstance = TestWallets.builder(new InMemoryUserStore())
                .dbSecret("the-other-instances-db-secret-0123456789ab").build()) {
            return checkoutCompleted(otherInstance.session(null), n).json();
        }
    }

    private String withoutReference(int n) {
        return checkoutCompleted(ada, n).replace("\"client_reference_id\": \"" + ada.clientReferenceId() + "\"",
                "\"client_reference_id\": null").json();
    }

    private String inEuros(int n) {
        return checkoutCompleted(ada, n).replace("\"currency\": \"usd\"", "\"currency\": \"eur\"").json();
    }

    private long registered(Session visitor, int n) {
        assertThat(harness.deliver(checkoutCompleted(visitor, n).json()).outcome()).isEqualTo(WebhookOutcome.CREDITED);
        return harness.user(visitor).userId();
    }

    @Test
    void aReferenceUnderAnotherDbSecretIsKeptOnceAndLoggedAtWarning() {
        String payload = underAnotherSecret(1);

        WebhookResult result = harness.deliver(payload);

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.outcome()).isEqualTo(WebhookOutcome.UNCLAIMED);
        UnclaimedPayment kept = harness.wallet.unclaimedPayments().get(0);
        assertThat(kept.id()).isEqualTo("cs_test_1");
        assertThat(kept.paymentIntentId()).contains("pi_test_1");
        assertThat(kept.amountCents()).isEqualTo(500);
        assertThat(kept.currency()).isEqualTo("usd");
        assertThat(kept.payerEmail()).contains("ada@example.com");
        assertThat(kept.reason()).isEqualTo(UnclaimedPayment.Reason.UNREADABLE_REFERENCE);
        assertThat(kept.receivedAt()).isEqualTo(TestWallets.NOW);
        assertThat(kept.isOpen()).isTrue();
        assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line.message())
                .contains("cs_test_1").contains("500 usd").contains("UNREADABLE_REFERENCE")
                .doesNotContain(ada.clientReferenceId()));

        assertThat(harness.deliver(payload).outcome()).as("redelivered").isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.deliver(asyncSucceeded(ada, 1).json()).outcome())
                .as("the same checkout's other event, even with a readable reference").isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.wallet.unclaimedPayments()).hasSize(1);
        assertThat(harness.wallet.lookupUser(ada.accessToken())).as("never credited").isEmpty();
        assertThat(log.warnings()).hasSize(1);
    }

    @Test
    void aCheckoutOfTheOwnLinkWithoutReferenceIsKept() {
        assertThat(harness.deliver(withoutReference(1)).outcome()).isEqualTo(WebhookOutcome.UNCLAIMED);

        assertThat(harness.wallet.unclaimedPayments()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo(UnclaimedPayment.Reason.MISSING_REFERENCE));
    }

    @Test
    void aCheckoutOfAnotherLinkIsStillNotTheWallets() {
        WebhookResult result = harness.deliver(checkoutCompleted(ada, 1)
                .replace(OWN_LINK, "plink_1SAcmeTShirtShop0001").json());

        assertThat(result.outcome()).isEqualTo(WebhookOutcome.IGNORED);
        assertThat(harness.wallet.unclaimedPayments()).isEmpty();
        assertThat(harness.recorded.changes()).isZero();
    }

    @Test
    void aPaymentInAnotherCurrencyIsKeptAndCanOnlyBeRefunded() {
        long account = registered(harness.visitor(), 9);
        assertThat(harness.deliver(inEuros(1)).outcome()).isEqualTo(WebhookOutcome.CURRENCY_MISMATCH);
        UnclaimedPayment euros = harness.wallet.unclaimedPayments().get(0);
        assertThat(euros.reason()).isEqualTo(UnclaimedPayment.Reason.OTHER_CURRENCY);
        assertThat(euros.currency()).isEqualTo("eur");
        long changes = harness.recorded.changes();

        assertThatThrownBy(() -> harness.wallet.assignUnclaimedPayment("cs_test_1", account, "convert it?"))
                .isInstanceOfSatisfying(UnclaimedPaymentException.class, e ->
                        assertThat(e.problem()).isEqualTo(UnclaimedPaymentException.Problem.OTHER_CURRENCY));
        assertThat(harness.recorded.changes()).as("refused before the store").isEqualTo(changes);

        UnclaimedPayment refunded = harness.wallet.markUnclaimedPaymentRefunded("cs_test_1", "refunded in eur");
        assertThat(refunded.status()).isEqualTo(UnclaimedPayment.Status.REFUNDED);
        assertThat(refunded.note()).contains("refunded in eur");
    }

    @Test
    void anAssignedPaymentIsMoneyInWhoseRefundIsTakenFromTheAccount() {
        Session bea = harness.visitor();
        long account = registered(bea, 9);
        harness.deliver(underAnotherSecret(1));

        UnclaimedPayment assigned = harness.wallet.assignUnclaimedPayment("cs_test_1", account, "ticket 7");

        assertThat(assigned.status()).isEqualTo(UnclaimedPayment.Status.ASSIGNED);
        assertThat(assigned.assignedUserId()).hasValue(account);
        assertThat(harness.balance(bea)).isEqualTo(1_000);
        LedgerEntry entry = harness.ledger(bea).get(1);
        assertThat(entry.kind()).isEqualTo(LedgerEntryKind.PAYMENT);
        assertThat(entry.operationId()).isEqualTo("checkout:cs_test_1");

        assertThat(harness.deliver(refunded(1).json()).outcome()).isEqualTo(WebhookOutcome.DEBITED);
        assertThat(harness.balance(bea)).isEqualTo(800);
    }

    @Test
    void refusalsAreTypedAndChangeNothing() {
        Session bea = harness.visitor();
        long account = registered(bea, 9);
        harness.deliver(underAnotherSecret(1));
        harness.deliver(underAnotherSecret(2));
        harness.wallet.assignUnclaimedPayment("cs_test_1", account, null);
        harness.wallet.markUnclaimedPaymentRefunded("cs_test_2", null);
        long changes = harness.recorded.changes();
        List<LedgerEntry> ledger = harness.ledger(bea);

        assertProblem(() -> harness.wallet.assignUnclaimedPayment("cs_test_1", account, null),
                UnclaimedPaymentException.Problem.ALREADY_ASSIGNED);
        assertProblem(() -> harness.wallet.markUnclaimedPaymentRefunded("cs_test_1", null),
                UnclaimedPaymentException.Problem.ALREADY_ASSIGNED);
        assertProblem(() -> harness.wallet.assignUnclaimedPayment("cs_test_2", account, null),
                UnclaimedPaymentException.Problem.ALREADY_REFUNDED);
        assertProblem(() -> harness.wallet.markUnclaimedPaymentRefunded("cs_test_2", null),
                UnclaimedPaymentException.Problem.ALREADY_REFUNDED);
        assertProblem(() -> harness.wallet.assignUnclaimedPayment("cs_nope", account, null),
                UnclaimedPaymentException.Problem.NOT_FOUND);

        assertThat(harness.recorded.changes()).isEqualTo(changes);
        assertThat(harness.ledger(bea)).isEqualTo(ledger);
    }

    @Test
    void assigningToAMissingAccountChangesNothing() {
        harness.deliver(underAnotherSecret(1));
        long changes = harness.recorded.changes();

        assertProblem(() -> harness.wallet.assignUnclaimedPayment("cs_test_1", 424_242, null),
                UnclaimedPaymentException.Problem.NO_SUCH_ACCOUNT);

        assertThat(harness.recorded.changes()).isEqualTo(changes);
        assertThat(harness.wallet.unclaimedPayments().get(0).isOpen()).isTrue();
    }

    @Test
    void eightAssignmentsAtOnceCreditOnceAndTheOthersGetATypedAnswer() {
        Session bea = harness.visitor();
        long account = registered(bea, 9);
        harness.deliver(underAnotherSecret(1));

        List<Object> results = ConcurrentRun.race(8, Duration.ofSeconds(30), thread -> {
            try {
                return harness.wallet.assignUnclaimedPayment("cs_test_1", account, "thread " + thread);
            } catch (UnclaimedPaymentException e) {
                return e.problem();
            }
        });

        assertThat(results).filteredOn(UnclaimedPayment.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(r -> !(r instanceof UnclaimedPayment))
                .hasSize(7).containsOnly(UnclaimedPaymentException.Problem.ALREADY_ASSIGNED);
        assertThat(harness.balance(bea)).isEqualTo(1_000);
    }

    /** Abuse: whoever knows the webhook URL cannot plant unclaimed payments without Stripe's signature. */
    @Test
    void anUnsignedOrForgedCheckoutKeepsNothing() {
        String payload = underAnotherSecret(1);

        WebhookResult unsigned = harness.wallet.handleWebhookPayload(payload, null);
        WebhookResult forged = harness.wallet.handleWebhookPayload(payload,
                StripeSignatures.header(payload, "whsec_attackers_own_secret_000000", TestWallets.NOW.getEpochSecond()));
        WebhookResult stale = harness.wallet.handleWebhookPayload(payload,
                StripeSignatures.header(payload, TestWallets.SIGNING_SECRET, TestWallets.NOW.getEpochSecond() - 3_600));

        assertThat(List.of(unsigned, forged, stale)).extracting(WebhookResult::outcome)
                .containsOnly(WebhookOutcome.REJECTED_SIGNATURE);
        assertThat(harness.wallet.unclaimedPayments()).isEmpty();
        assertThat(harness.recorded.changes()).isZero();
    }

    /** Abuse: a captured genuine delivery replayed (with a fresh event id) is still a duplicate. */
    @Test
    void aReplayedCheckoutUnderANewEventIdIsADuplicate() {
        String payload = underAnotherSecret(1);
        harness.deliver(payload);

        WebhookResult replayed = harness.deliver(payload.replace("evt_completed_1", "evt_replayed_1"));

        assertThat(replayed.outcome()).isEqualTo(WebhookOutcome.DUPLICATE);
        assertThat(harness.wallet.unclaimedPayments()).hasSize(1);
    }

    private static void assertProblem(Runnable call, UnclaimedPaymentException.Problem problem) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(UnclaimedPaymentException.class,
                e -> assertThat(e.problem()).isEqualTo(problem));
    }
}
