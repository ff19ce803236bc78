package dev.stripeflare;

import java.util.List;

/**
 * Where {@link Wallet#archiveBefore} (and {@link dev.stripeflare.spi.UserStore#archiveBefore})
 * hands the ledger entries it removes: a file, a table of the host's, an object store.
 *
 * <p>Called once per account, inside that account's atomic roll-up step and before it commits:
 * when {@code accept} throws, that account's ledger stays as it was and the exception is
 * propagated. When the step fails after {@code accept} returned (the store failed to commit),
 * the same entries are offered again by the next call, so a sink should tolerate seeing an
 * account's entries twice (e.g. by writing them keyed by account and time).
 */
@FunctionalInterface
public interface LedgerArchive {

    /**
     * Takes the entries about to be removed from one account's ledger, oldest first.
     *
     * @param userId   the account
     * @param archived at least one entry; their sum is the opening balance that replaces them
     */
    void accept(long userId, List<LedgerEntry> archived);
}
