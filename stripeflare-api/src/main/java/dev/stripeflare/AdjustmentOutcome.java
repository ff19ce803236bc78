package dev.stripeflare;

/** What an adjustment did. */
public enum AdjustmentOutcome {
    /** The balance changed by the adjustment and an {@link LedgerEntryKind#ADJUSTMENT} entry was written. */
    APPLIED,
    /**
     * The operation id had already adjusted this account by this amount: nothing changed again,
     * and the result reports the balance right after the first application.
     */
    REPLAYED,
    /**
     * A negative adjustment would have taken the balance below zero and that was not allowed.
     * Nothing changed and the operation id was not recorded, so it may be retried.
     */
    INSUFFICIENT_BALANCE
}
