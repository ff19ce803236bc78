package dev.stripeflare.event;

/**
 * Hears what the wallet did, after it is committed. Register one on the builder
 * ({@code Stripeflare.builder().listener(…)}).
 *
 * <p><b>Delivery.</b> An event is delivered only after the store step it reports has committed,
 * never inside a store transaction, at most once (a redelivered Stripe event that changes nothing
 * raises nothing). Without a listener executor it is delivered on the thread that made the
 * change (the webhook's or the operator's) before that call returns; with one
 * ({@code listenerExecutor(…)}), on the executor. A listener that throws is logged at WARNING
 * and changes no money: the change it hears about is already committed.
 *
 * <p><b>Growth.</b> Every method has a do-nothing default and takes one record, so a listener
 * overrides only what it needs, and new kinds of events (grants, adjustments, deletions, low
 * balance) are added as new methods without breaking existing listeners. Implementations must be
 * thread-safe when a listener executor runs several deliveries at once.
 */
public interface WalletListener {

    /**
     * A payment was credited to an account (a webhook credit, or an unclaimed payment assigned).
     *
     * @param event what happened
     */
    default void onCredited(CreditedEvent event) {
    }

    /**
     * A refund or dispute took money back from an account, or was deferred until its payment.
     *
     * @param event what happened
     */
    default void onReversed(ReversedEvent event) {
    }

    /**
     * A won dispute or a failed refund gave back what it had taken.
     *
     * @param event what happened
     */
    default void onRestored(RestoredEvent event) {
    }

    /**
     * A paid checkout could not be credited and was kept as an unclaimed payment.
     *
     * @param event what happened
     */
    default void onUnclaimedPayment(UnclaimedPaymentEvent event) {
    }

    /**
     * An operator assigned an unclaimed payment to an account, or marked it refunded.
     *
     * @param event what happened
     */
    default void onUnclaimedPaymentResolved(UnclaimedPaymentResolvedEvent event) {
    }

    // Server-side account operations (issue 13, ADR 32).

    /**
     * An operator's adjustment changed a balance.
     *
     * @param event what happened
     */
    default void onAdjusted(AdjustedEvent event) {
    }

    /**
     * An account was deleted.
     *
     * @param event what happened
     */
    default void onUserDeleted(UserDeletedEvent event) {
    }

    /**
     * A charge or adjustment took a balance from above a configured threshold to at or below it.
     * Delivered after that change committed; the money is already spent.
     *
     * @param event what happened
     */
    default void onLowBalance(LowBalanceEvent event) {
    }

    /**
     * Free credit was given to an account ({@code Wallet.grant}).
     *
     * @param event what happened
     */
    default void onGranted(GrantedEvent event) {
    }

    /**
     * A grant's unspent remainder left the balance: it expired, or it was voided.
     *
     * @param event what happened
     */
    default void onGrantExpired(GrantExpiredEvent event) {
    }
}
