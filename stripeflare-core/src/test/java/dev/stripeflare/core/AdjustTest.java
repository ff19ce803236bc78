package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.checkoutCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAdjustmentException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.InvalidIdempotencyKeyException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Session;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.event.AdjustedEvent;
import dev.stripeflare.event.WalletListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Adjustments through the wallet (issue 13, ADR 32): signed, exactly once per operation id, heard
 * once; every bad input is a typed exception that changes nothing.
 */
class AdjustTest {
    private final List<AdjustedEvent> heard = new CopyOnWriteArrayList<>();
    private final WebhookHarness harness = new WebhookHarness(builder -> builder.listener(new WalletListener() {
        @Override
        public void onAdjusted(AdjustedEvent event) {
            heard.add(event);
        }
    }));
    private final Session ada = harness.visitor();

    @AfterEach
    void close() {
        harness.close();
    }

    private long paidAccount() {
        harness.deliver(checkoutCompleted(ada, 1).json());
        return harness.user(ada).userId();
    }

    @Test
    void anAdjustmentIsAppliedOnceAndHeardOnce() {
        long id = paidAccount();

        AdjustmentResult first = harness.wallet.adjust(id, -120, "ticket 9: double render", "ticket-9");
        AdjustmentResult again = harness.wallet.adjust(id, -120, "ticket 9: double render", "ticket-9");

        assertThat(first).isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, 380));
        assertThat(again).isEqualTo(new AdjustmentResult(AdjustmentOutcome.REPLAYED, 380));
        assertThat(harness.ledger(ada)).last().isEqualTo(new LedgerEntry(id, -120, 380, LedgerEntryKind.ADJUSTMENT,
                "ticket-9", "ticket 9: double render", TestWallets.NOW));
        assertThat(heard).containsExactly(new AdjustedEvent(id, -120, 380, "ticket 9: double render", "ticket-9",
                TestWallets.NOW));
    }

    @Test
    void belowZeroOnlyWhenAsked() {
        long id = paidAccount();

        assertThat(harness.wallet.adjust(id, -501, "fee", "fee-1"))
                .isEqualTo(new AdjustmentResult(AdjustmentOutcome.INSUFFICIENT_BALANCE, 500));
        assertThat(heard).isEmpty();
        assertThat(harness.wallet.adjust(id, -501, "fee", "fee-1", true))
                .isEqualTo(new AdjustmentResult(AdjustmentOutcome.APPLIED, -1));
    }

    @Test
    void everyBadInputIsATypedExceptionThatChangesNothing() {
        long id = paidAccount();
        harness.wallet.adjust(id, Long.MAX_VALUE - 500, "to the top", "top");
        List<LedgerEntry> before = harness.ledger(ada);

        assertRefused(InvalidAmountException.class, () -> harness.wallet.adjust(id, 0, "nothing", "z"));
        assertRefused(InvalidAmountException.class, () -> harness.wallet.adjust(id, 1, "overflow", "o"));
        assertRefused(InvalidAdjustmentException.class, () -> harness.wallet.adjust(id, 5, " ", "b"));
        assertRefused(InvalidAdjustmentException.class, () -> harness.wallet.adjust(id, 5, "", "b"));
        assertRefused(InvalidAdjustmentException.class, () -> harness.wallet.adjust(id, 5, "r".repeat(501), "b"));
        assertRefused(InvalidIdempotencyKeyException.class, () -> harness.wallet.adjust(id, 5, "why", " "));
        assertRefused(InvalidIdempotencyKeyException.class, () -> harness.wallet.adjust(id, 5, "why", "a\u0000b"));
        assertRefused(InvalidIdempotencyKeyException.class, () -> harness.wallet.adjust(id, 5, "why", "k".repeat(300)));
        assertRefused(UnknownUserException.class, () -> harness.wallet.adjust(id + 1, 5, "why", "u"));
        assertRefused(IdempotencyKeyReusedException.class, () -> harness.wallet.adjust(id, -5, "why", "top"));
        assertRefused(NullPointerException.class, () -> harness.wallet.adjust(id, 5, null, "n"));
        assertRefused(NullPointerException.class, () -> harness.wallet.adjust(id, 5, "why", null));

        assertThat(harness.ledger(ada)).isEqualTo(before);
        assertThat(heard).hasSize(1);
        // None of the refused ids was recorded.
        assertThat(harness.wallet.adjust(id, -5, "now fine", "o").outcome()).isEqualTo(AdjustmentOutcome.APPLIED);
    }

    @Test
    void anOperatorsIdReplayedAgainstAnotherAccountMovesNothing() {
        long id = paidAccount();
        Session mallory = harness.visitor();
        harness.deliver(checkoutCompleted(mallory, 2).json());
        long malloryId = harness.user(mallory).userId();
        harness.wallet.adjust(id, 300, "goodwill for ada", "ticket-1");

        // A support tool fed a forged form posts ada's ticket id again for mallory.
        assertThatThrownBy(() -> harness.wallet.adjust(malloryId, 300, "goodwill for ada", "ticket-1"))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(harness.balance(mallory)).isEqualTo(500);
        assertThat(harness.balance(ada)).isEqualTo(800);
    }

    private static void assertRefused(Class<? extends Throwable> type, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOf(type);
    }
}
