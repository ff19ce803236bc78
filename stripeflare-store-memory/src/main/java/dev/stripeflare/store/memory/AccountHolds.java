package dev.stripeflare.store.memory;

import dev.stripeflare.HoldState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One account's holds (ADR 34), oldest first, with the sum of what the ACTIVE ones reserve and
 * their reservation keys. Keeps every ACTIVE hold and the last {@value #KEPT_CLOSED} closed ones
 * (so a retried capture or reservation finds its first answer); an older closed hold is forgotten
 * (its id answers {@code NOT_FOUND}, its key reserves again), which bounds the heap of an account
 * that holds for every request. Guarded by the account's monitor, like every other field of
 * {@link Account}.
 */
final class AccountHolds {

    /** How many closed holds an account keeps. */
    static final int KEPT_CLOSED = 1_024;

    /** One hold; mutable only under the account's monitor. */
    static final class Entry {
        final long holdId;
        final long amountCents;
        final boolean allowOverdraft;
        final String memo;
        final Instant createdAt;
        final Instant expiresAt;
        final String key;
        long capturedCents;
        HoldState.Status status = HoldState.Status.ACTIVE;
        Instant closedAt;

        Entry(long holdId, long amountCents, boolean allowOverdraft, String memo, Instant createdAt,
              Instant expiresAt, String key) {
            this.key = key;
            this.holdId = holdId;
            this.amountCents = amountCents;
            this.allowOverdraft = allowOverdraft;
            this.memo = memo;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
        }

        /** What this hold adds to the account's held total now. */
        long reserved() {
            return status == HoldState.Status.ACTIVE ? Math.max(0, amountCents - capturedCents) : 0;
        }

        HoldState view(long userId) {
            return new HoldState(holdId, userId, amountCents, capturedCents, allowOverdraft, status, memo, createdAt,
                    expiresAt, closedAt);
        }
    }

    private final Map<Long, Entry> byId = new LinkedHashMap<>();
    // The ACTIVE ones only: expiry scans look at these, never at closed holds.
    private final Map<Long, Entry> active = new LinkedHashMap<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    private final java.util.ArrayDeque<Entry> closed = new java.util.ArrayDeque<>();
    private final java.util.function.LongConsumer forget;
    private long heldCents;

    /** @param forget told the id of every closed hold this account forgets */
    AccountHolds(java.util.function.LongConsumer forget) {
        this.forget = forget;
    }

    long heldCents() {
        return heldCents;
    }

    Entry find(long holdId) {
        return byId.get(holdId);
    }

    Entry byKey(String key) {
        return byKey.get(key);
    }

    void add(Entry entry) {
        byId.put(entry.holdId, entry);
        active.put(entry.holdId, entry);
        if (entry.key != null) {
            byKey.put(entry.key, entry);
        }
        heldCents += entry.reserved();
    }

    /** Sets the entry's captured total and status, keeping the held total in step. */
    void set(Entry entry, long capturedCents, HoldState.Status status, Instant at) {
        long before = entry.reserved();
        entry.capturedCents = capturedCents;
        entry.status = status;
        if (status != HoldState.Status.ACTIVE) {
            entry.closedAt = at;
            active.remove(entry.holdId);
            closed.add(entry);
            if (closed.size() > KEPT_CLOSED) {
                Entry oldest = closed.poll();
                byId.remove(oldest.holdId);
                if (oldest.key != null && byKey.get(oldest.key) == oldest) {
                    byKey.remove(oldest.key);
                }
                forget.accept(oldest.holdId);
            }
        }
        heldCents += entry.reserved() - before;
    }

    /** The earliest expiry among ACTIVE holds, or null. */
    Instant nextExpiry() {
        Instant next = null;
        for (Entry entry : active.values()) {
            if ((next == null || entry.expiresAt.isBefore(next))) {
                next = entry.expiresAt;
            }
        }
        return next;
    }

    /** The ACTIVE holds whose expiry is at or before {@code at}, oldest first. */
    List<Entry> due(Instant at) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : active.values()) {
            if (!entry.expiresAt.isAfter(at)) {
                due.add(entry);
            }
        }
        return due;
    }

    /** Whether any ACTIVE hold is due at {@code at}. */
    boolean anyDue(Instant at) {
        for (Entry entry : active.values()) {
            if (!entry.expiresAt.isAfter(at)) {
                return true;
            }
        }
        return false;
    }

    List<HoldState> views(long userId) {
        List<HoldState> views = new ArrayList<>(byId.size());
        for (Entry entry : byId.values()) {
            views.add(entry.view(userId));
        }
        return views;
    }
}
