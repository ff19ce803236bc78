package dev.stripeflare;

/**
 * What one ledger roll-up ({@link Wallet#archiveBefore}) did.
 *
 * @param accounts the accounts whose older entries were replaced by one opening balance
 * @param entries  the entries handed to the sink and removed
 */
public record ArchiveReport(int accounts, long entries) {

    /**
     * Creates the record, checking its components.
     *
     * @param accounts the accounts whose older entries were replaced by one opening balance
     * @param entries  the entries handed to the sink and removed
     */
    public ArchiveReport {
        if (accounts < 0 || entries < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }

    /**
     * This report and {@code other} together.
     *
     * @param other another report
     * @return the sum of both
     */
    public ArchiveReport plus(ArchiveReport other) {
        return new ArchiveReport(accounts + other.accounts, entries + other.entries);
    }
}
