package dev.stripeflare.store.memory;

import dev.stripeflare.Grant;
import dev.stripeflare.spi.CreditGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One account's grants and what is left of each. Not thread-safe: the account's monitor guards
 * it. Keeps, besides the grants, their unspent total and earliest expiry, so that a charge on an
 * account whose grants are all spent or ended costs no more than one without grants.
 */
final class AccountGrants {

    /** Spending order: earliest expiry first, grants without expiry last, then oldest first. */
    private static final Comparator<Entry> SPENDING_ORDER = Comparator
            .comparing((Entry e) -> e.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(e -> e.sequence);

    /** One grant; mutable, guarded as the whole. */
    static final class Entry {
        final String operationId;
        final String reason;
        final long grantedCents;
        final Instant expiresAt;
        final Instant grantedAt;
        final long sequence;
        long remainingCents;
        long endedCents;
        Grant.Status status = Grant.Status.ACTIVE;

        Entry(CreditGrant grant, long sequence) {
            this.operationId = grant.operationId();
            this.reason = grant.reason();
            this.grantedCents = grant.amountCents();
            this.expiresAt = grant.expiresAt();
            this.grantedAt = grant.at();
            this.sequence = sequence;
            this.remainingCents = grant.amountCents();
        }

        Grant view(long userId) {
            return new Grant(userId, operationId, reason, grantedCents, remainingCents, endedCents,
                    Optional.ofNullable(expiresAt), grantedAt, status);
        }
    }

    private final List<Entry> all = new ArrayList<>();
    // ACTIVE grants with credit left, in spending order.
    private final List<Entry> spendable = new ArrayList<>();
    private long grantedCents;

    /** Unspent granted credit: the sum of the spendable grants' remainders. */
    long grantedCents() {
        return grantedCents;
    }

    /** The earliest expiry among spendable grants, or null. */
    Instant nextExpiry() {
        for (Entry entry : spendable) {
            if (entry.expiresAt != null) {
                return entry.expiresAt;
            }
        }
        return null;
    }

    /** Adds a grant; the caller has checked that the balance can take it. */
    void add(CreditGrant grant) {
        Entry entry = new Entry(grant, all.size());
        all.add(entry);
        spendable.add(entry);
        spendable.sort(SPENDING_ORDER);
        grantedCents += grant.amountCents();
    }

    /** Spends up to {@code amountCents} of granted credit in spending order; returns what it took. */
    long spend(long amountCents) {
        long left = amountCents;
        while (left > 0 && !spendable.isEmpty()) {
            Entry first = spendable.get(0);
            long take = Math.min(left, first.remainingCents);
            first.remainingCents -= take;
            left -= take;
            if (first.remainingCents == 0) {
                spendable.remove(0);
            }
        }
        long taken = amountCents - left;
        grantedCents -= taken;
        return taken;
    }

    /** The grant under {@code operationId}, whatever its status; null if none. */
    Entry find(String operationId) {
        for (Entry entry : all) {
            if (entry.operationId.equals(operationId)) {
                return entry;
            }
        }
        return null;
    }

    /** Ends {@code entry} (which must be ACTIVE) with {@code status}; returns the remainder that left. */
    long end(Entry entry, Grant.Status status) {
        long remainder = entry.remainingCents;
        entry.endedCents = remainder;
        entry.remainingCents = 0;
        entry.status = status;
        spendable.remove(entry);
        grantedCents -= remainder;
        return remainder;
    }

    /** The ACTIVE grants (spent or not) whose expiry is at or before {@code at}, earliest first. */
    List<Entry> due(Instant at) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : all) {
            if (entry.status == Grant.Status.ACTIVE && entry.expiresAt != null && !entry.expiresAt.isAfter(at)) {
                due.add(entry);
            }
        }
        due.sort(SPENDING_ORDER);
        return due;
    }

    List<Grant> views(long userId) {
        List<Grant> views = new ArrayList<>(all.size());
        for (Entry entry : all) {
            views.add(entry.view(userId));
        }
        return List.copyOf(views);
    }
}
