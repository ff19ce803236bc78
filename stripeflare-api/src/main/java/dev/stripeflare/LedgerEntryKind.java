package dev.stripeflare;

/** Why a balance changed. */
public enum LedgerEntryKind {
    /** A charge for use of the application (money out). */
    CHARGE,
    /** A payment through Stripe (money in). */
    PAYMENT,
    /** A refund of a payment taken back (money out). */
    REFUND,
    /** A dispute of a payment taken back (money out). */
    DISPUTE,
    /** A manual credit or debit by the application (promotions, corrections). */
    ADJUSTMENT,
    /** A dispute the merchant won: what the dispute took is given back (money in). */
    DISPUTE_WON,
    /** A refund that failed after it was taken back: the refunded amount is given back (money in). */
    REFUND_FAILED,
    /**
     * The sum of older entries that were archived ({@link Wallet#archiveBefore}): the account's
     * opening balance for the entries that follow. Never 0 cents (an archived prefix summing to
     * 0 leaves no entry). Carries no operation id.
     */
    OPENING_BALANCE,
    /** Free credit given by the application ({@link Wallet#grant}); spent before paid credit (money in). */
    GRANT,
    /** The unspent remainder of a grant that reached its expiry (money out). */
    GRANT_EXPIRED,
    /** The unspent remainder of a grant the application voided ({@link Wallet#voidGrant}) (money out). */
    GRANT_VOIDED
}
