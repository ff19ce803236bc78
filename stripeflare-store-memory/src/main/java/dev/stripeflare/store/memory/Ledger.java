package dev.stripeflare.store.memory;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import java.time.Instant;
import java.util.List;

/**
 * One account's ledger, append-only, oldest first. Not thread-safe: the account's monitor
 * guards it.
 *
 * <p>Entries live in a chain of primitive chunks, not as {@link LedgerEntry} objects: ledgers
 * never shrink, and per-entry objects made every young collection copy and trace every entry
 * appended since the previous one. A chunk is one {@code long[]} with four longs per entry
 * (amount, balance after, epoch second, kind and nano of second), plus a {@code String[]} for
 * operation ids and memos that exists only once an entry of that chunk has one. Chunks are
 * never copied or regrown; {@link LedgerEntry} objects are made only by {@link #entries}.
 */
final class Ledger {

    /** Entries in the largest chunk; every chunk after the first few has this many. */
    static final int MAX_CHUNK_ENTRIES = 1024;

    // Most accounts see a handful of entries, so chunks start small and double up to the max.
    static final int FIRST_CHUNK_ENTRIES = 4;

    private static final int LONGS_PER_ENTRY = 4;
    private static final int AMOUNT = 0;
    private static final int BALANCE_AFTER = 1;
    private static final int EPOCH_SECOND = 2;
    private static final int KIND_AND_NANO = 3;

    // The longest list entries() can return.
    static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;

    private static final LedgerEntryKind[] KINDS = LedgerEntryKind.values();

    private static final class Chunk {
        final long[] cells;
        final int capacity;
        // Operation id of entry i at 2i, memo at 2i + 1; null while every one of them is null.
        String[] texts;
        int size;
        Chunk next;

        Chunk(int capacity) {
            this.capacity = capacity;
            this.cells = new long[capacity * LONGS_PER_ENTRY];
        }
    }

    private Chunk head;
    private Chunk tail;
    private int size;

    int size() {
        return size;
    }

    /** Throws, changing nothing, unless {@code count} more entries fit. */
    void requireRoomFor(int count) {
        if (count > MAX_ENTRIES - size) {
            throw new StoreException("the account's ledger is full (" + size + " entries)");
        }
    }

    /**
     * Appends one entry. The caller has validated it as {@link LedgerEntry}'s constructor does
     * (non-zero amount, non-null kind and time); throws before changing anything.
     */
    void append(long amountCents, long balanceAfterCents, LedgerEntryKind kind,
                String operationId, String memo, Instant at) {
        requireRoomFor(1);
        Chunk chunk = tail;
        if (chunk == null || chunk.size == chunk.capacity) {
            chunk = new Chunk(chunk == null
                    ? FIRST_CHUNK_ENTRIES : Math.min(chunk.capacity * 2, MAX_CHUNK_ENTRIES));
            if (tail == null) {
                head = chunk;
            } else {
                tail.next = chunk;
            }
            tail = chunk;
        }
        int i = chunk.size;
        if ((operationId != null || memo != null) && chunk.texts == null) {
            chunk.texts = new String[chunk.capacity * 2];
        }
        if (chunk.texts != null) {
            chunk.texts[2 * i] = operationId;
            chunk.texts[2 * i + 1] = memo;
        }
        long[] cells = chunk.cells;
        int base = i * LONGS_PER_ENTRY;
        cells[base + AMOUNT] = amountCents;
        cells[base + BALANCE_AFTER] = balanceAfterCents;
        cells[base + EPOCH_SECOND] = at.getEpochSecond();
        cells[base + KIND_AND_NANO] = (long) kind.ordinal() << 32 | at.getNano();
        chunk.size = i + 1;
        size++;
    }

    /** Appends {@code entry}; its user id is the account's and is not stored. */
    void append(LedgerEntry entry) {
        append(entry.amountCents(), entry.balanceAfterCents(), entry.kind(), entry.operationId(),
                entry.memo(), entry.at());
    }

    /** A new immutable list of every entry, oldest first, each with {@code userId}. */
    List<LedgerEntry> entries(long userId) {
        LedgerEntry[] entries = new LedgerEntry[size];
        int n = 0;
        for (Chunk chunk = head; chunk != null; chunk = chunk.next) {
            long[] cells = chunk.cells;
            String[] texts = chunk.texts;
            for (int i = 0; i < chunk.size; i++) {
                int base = i * LONGS_PER_ENTRY;
                long kindAndNano = cells[base + KIND_AND_NANO];
                entries[n++] = new LedgerEntry(userId, cells[base + AMOUNT], cells[base + BALANCE_AFTER],
                        KINDS[(int) (kindAndNano >>> 32)],
                        texts == null ? null : texts[2 * i],
                        texts == null ? null : texts[2 * i + 1],
                        Instant.ofEpochSecond(cells[base + EPOCH_SECOND], (int) kindAndNano));
            }
        }
        return List.of(entries);
    }

    /** Drops every entry. */
    void clear() {
        head = null;
        tail = null;
        size = 0;
    }

    /**
     * Replaces the longest run of oldest entries made before {@code before} by one
     * {@link LedgerEntryKind#OPENING_BALANCE} entry of their sum (none when the sum is 0), after
     * {@code sink} took them; a run that is one opening balance already is left alone. Changes
     * nothing when {@code sink} throws. Returns how many entries were archived.
     */
    int rollUp(long userId, Instant before, dev.stripeflare.LedgerArchive sink) {
        List<LedgerEntry> all = entries(userId);
        int n = 0;
        while (n < all.size() && all.get(n).at().isBefore(before)) {
            n++;
        }
        if (n == 0 || (n == 1 && all.get(0).kind() == LedgerEntryKind.OPENING_BALANCE)) {
            return 0;
        }
        List<LedgerEntry> archived = all.subList(0, n);
        long sum = 0;
        for (LedgerEntry entry : archived) {
            sum = Math.addExact(sum, entry.amountCents());
        }
        sink.accept(userId, archived);
        LedgerEntry last = archived.get(n - 1);
        clear();
        if (sum != 0) {
            append(sum, last.balanceAfterCents(), LedgerEntryKind.OPENING_BALANCE, null,
                    "opening balance: " + n + " entries archived", last.at());
        }
        for (LedgerEntry entry : all.subList(n, all.size())) {
            append(entry);
        }
        return n;
    }
}
