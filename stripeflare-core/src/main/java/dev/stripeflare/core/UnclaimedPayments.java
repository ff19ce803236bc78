package dev.stripeflare.core;

import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnclaimedPaymentException;
import dev.stripeflare.event.CreditedEvent;
import dev.stripeflare.event.UnclaimedPaymentResolvedEvent;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The operator's side of unclaimed payments (ADR 31): list them, assign one to an account (the
 * store credits it exactly once), or record that it was refunded. A payment in another currency
 * than the wallet's is never assigned: the wallet does not convert, the operator refunds it.
 * Every resolution is logged at INFO and told to the listeners after the store committed it.
 * Thread-safe (stateless but for the store).
 */
final class UnclaimedPayments {
    private static final System.Logger LOG = System.getLogger(UnclaimedPayments.class.getName());

    private final UserStore store;
    private final String currency;
    private final Clock clock;
    private final WalletEvents events;

    UnclaimedPayments(UserStore store, String currency, Clock clock, WalletEvents events) {
        this.store = store;
        this.currency = currency;
        this.clock = clock;
        this.events = events;
    }

    List<UnclaimedPayment> list() {
        return store.unclaimedPayments();
    }

    UnclaimedPayment assign(String id, long userId, String note) {
        Objects.requireNonNull(id, "unclaimedId");
        UnclaimedPayment payment = store.findUnclaimed(id).orElseThrow(() -> notFound(id));
        // The currency never changes, so checking it before the atomic step is safe.
        if (payment.isOpen() && !currency.equals(payment.currency())) {
            throw new UnclaimedPaymentException(UnclaimedPaymentException.Problem.OTHER_CURRENCY,
                    "unclaimed payment " + id + " was paid in " + payment.currency() + ", the wallet is in "
                            + currency + ": it is never converted; refund it instead");
        }
        Instant now = clock.instant();
        UnclaimedResolution result = store.assignUnclaimed(new UnclaimedAssignment(id, userId, note,
                "Stripe checkout " + id + " (unclaimed payment assigned by an operator)", now));
        UnclaimedPayment assigned = resolved(id, result, userId);
        LOG.log(Level.INFO, "Unclaimed payment {0} ({1} {2}) assigned to account {3}", id, assigned.amountCents(),
                assigned.currency(), userId);
        if (events.active()) {
            CreditedEvent credited = new CreditedEvent(userId, assigned.amountCents(), result.balanceCents(),
                    assigned.operationId(), assigned.paymentIntentId().orElse(null), now);
            events.deliver("credited", listener -> listener.onCredited(credited));
            events.deliver("unclaimed payment resolved",
                    listener -> listener.onUnclaimedPaymentResolved(new UnclaimedPaymentResolvedEvent(assigned)));
        }
        return assigned;
    }

    UnclaimedPayment markRefunded(String id, String note) {
        Objects.requireNonNull(id, "unclaimedId");
        UnclaimedResolution result = store.markUnclaimedRefunded(id, note, clock.instant());
        UnclaimedPayment refunded = resolved(id, result, 0);
        LOG.log(Level.INFO, "Unclaimed payment {0} ({1} {2}) marked refunded", id, refunded.amountCents(),
                refunded.currency());
        if (events.active()) {
            events.deliver("unclaimed payment resolved",
                    listener -> listener.onUnclaimedPaymentResolved(new UnclaimedPaymentResolvedEvent(refunded)));
        }
        return refunded;
    }

    /** The payment a resolution resolved; throws the typed refusal for anything else. */
    private static UnclaimedPayment resolved(String id, UnclaimedResolution result, long userId) {
        return switch (result.status()) {
            case RESOLVED -> result.payment().orElseThrow();
            case NOT_FOUND -> throw notFound(id);
            case ALREADY_ASSIGNED -> throw new UnclaimedPaymentException(
                    UnclaimedPaymentException.Problem.ALREADY_ASSIGNED, "unclaimed payment " + id
                    + " was already assigned to account " + result.payment().orElseThrow().assignedUserId().orElse(0));
            case ALREADY_REFUNDED -> throw new UnclaimedPaymentException(
                    UnclaimedPaymentException.Problem.ALREADY_REFUNDED, "unclaimed payment " + id
                    + " was already marked refunded");
            case NO_SUCH_ACCOUNT -> throw new UnclaimedPaymentException(
                    UnclaimedPaymentException.Problem.NO_SUCH_ACCOUNT, "no account " + userId
                    + " to assign unclaimed payment " + id + " to");
        };
    }

    private static UnclaimedPaymentException notFound(String id) {
        return new UnclaimedPaymentException(UnclaimedPaymentException.Problem.NOT_FOUND,
                "no unclaimed payment " + id);
    }
}
