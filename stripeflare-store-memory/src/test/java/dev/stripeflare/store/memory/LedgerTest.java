package dev.stripeflare.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private static final long USER_ID = 7;
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private final Ledger ledger = new Ledger();

    @Test
    void emptyLedgerHasNoEntries() {
        assertThat(ledger.entries(USER_ID)).isEmpty();
        assertThat(ledger.size()).isZero();
    }

    @Test
    void entriesAcrossManyChunksComeBackOldestFirstWithEveryField() {
        // Past several growing chunks and several full ones, ending mid-chunk.
        int count = 5 * Ledger.MAX_CHUNK_ENTRIES + 3;
        List<LedgerEntry> expected = new ArrayList<>();
        long balance = 0;
        for (int i = 0; i < count; i++) {
            long amount = i % 3 == 0 ? 1_000 + i : -(i + 1);
            balance += amount;
            LedgerEntryKind kind = LedgerEntryKind.values()[i % LedgerEntryKind.values().length];
            String operationId = i % 2 == 0 ? "op-" + i : null;
            String memo = i % 5 == 0 ? "memo " + i : null;
            LedgerEntry entry = new LedgerEntry(USER_ID, amount, balance, kind, operationId, memo,
                    T0.plusNanos(i * 1_001L));
            expected.add(entry);
            ledger.append(entry);
        }

        assertThat(ledger.size()).isEqualTo(count);
        assertThat(ledger.entries(USER_ID)).containsExactlyElementsOf(expected);
    }

    @Test
    void entriesAtEachChunkBoundaryKeepTheirOwnValues() {
        List<LedgerEntry> expected = new ArrayList<>();
        for (int i = 0; i < 2 * Ledger.MAX_CHUNK_ENTRIES + Ledger.FIRST_CHUNK_ENTRIES + 1; i++) {
            LedgerEntry entry = new LedgerEntry(USER_ID, i + 1, i + 1, LedgerEntryKind.PAYMENT,
                    "op-" + i, null, T0.plusSeconds(i));
            expected.add(entry);
            ledger.append(entry);
        }

        List<LedgerEntry> entries = ledger.entries(USER_ID);

        for (int boundary : new int[] {Ledger.FIRST_CHUNK_ENTRIES, 3 * Ledger.FIRST_CHUNK_ENTRIES,
                Ledger.MAX_CHUNK_ENTRIES, 2 * Ledger.MAX_CHUNK_ENTRIES}) {
            assertThat(entries.get(boundary - 1)).isEqualTo(expected.get(boundary - 1));
            assertThat(entries.get(boundary)).isEqualTo(expected.get(boundary));
        }
    }

    @Test
    void nullAndNonNullOperationIdsAndMemosArePerEntryEvenWithinOneChunk() {
        // The first entries of a chunk have no text, later ones do, then none again.
        LedgerEntry bare = entry(-1, null, null);
        LedgerEntry keyed = entry(-2, "key-1", null);
        LedgerEntry noted = entry(-3, null, "a memo");
        LedgerEntry both = entry(-4, "key-2", "another memo");
        LedgerEntry bareAgain = entry(-5, null, null);
        List<LedgerEntry> expected = List.of(bare, bare, keyed, noted, both, bareAgain, bareAgain);
        expected.forEach(ledger::append);

        assertThat(ledger.entries(USER_ID)).containsExactlyElementsOf(expected);
    }

    @Test
    void instantsRoundTripToTheNanosecondOverTheirWholeRange() {
        List<Instant> instants = List.of(Instant.MIN, Instant.MAX, Instant.EPOCH,
                Instant.ofEpochSecond(-1, 999_999_999), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(-31_557_014_167_219_200L, 1), T0);
        for (Instant at : instants) {
            ledger.append(new LedgerEntry(USER_ID, 1, 1, LedgerEntryKind.ADJUSTMENT, null, null, at));
        }

        assertThat(ledger.entries(USER_ID)).extracting(LedgerEntry::at).containsExactlyElementsOf(instants);
    }

    @Test
    void extremeAmountsAndBalancesRoundTrip() {
        LedgerEntry max = new LedgerEntry(USER_ID, Long.MAX_VALUE, Long.MAX_VALUE,
                LedgerEntryKind.PAYMENT, "p", null, T0);
        LedgerEntry min = new LedgerEntry(USER_ID, Long.MIN_VALUE, Long.MIN_VALUE,
                LedgerEntryKind.DISPUTE, "d", null, T0);
        ledger.append(max);
        ledger.append(min);

        assertThat(ledger.entries(USER_ID)).containsExactly(max, min);
    }

    @Test
    void entriesAreAnImmutableCopyThatLaterAppendsDoNotChange() {
        ledger.append(entry(-1, null, null));
        List<LedgerEntry> copy = ledger.entries(USER_ID);

        ledger.append(entry(-2, "key", "memo"));

        assertThat(copy).containsExactly(entry(-1, null, null));
        assertThatThrownBy(() -> copy.add(entry(-3, null, null)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.set(0, entry(-3, null, null)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ledger.entries(USER_ID)).hasSize(2);
    }

    @Test
    void clearDropsEveryEntryAndTheLedgerStaysUsable() {
        for (int i = 0; i < Ledger.MAX_CHUNK_ENTRIES + 1; i++) {
            ledger.append(entry(-1, "k" + i, null));
        }

        ledger.clear();

        assertThat(ledger.entries(USER_ID)).isEmpty();
        ledger.append(entry(-9, null, "after"));
        assertThat(ledger.entries(USER_ID)).containsExactly(entry(-9, null, "after"));
    }

    @Test
    void ledgerWithoutRoomRefusesAndKeepsItsEntries() {
        ledger.append(entry(-1, null, null));

        ledger.requireRoomFor(Ledger.MAX_ENTRIES - 1);
        assertThatThrownBy(() -> ledger.requireRoomFor(Ledger.MAX_ENTRIES))
                .isInstanceOf(StoreException.class);
        assertThat(ledger.entries(USER_ID)).containsExactly(entry(-1, null, null));
    }

    private static LedgerEntry entry(long amount, String operationId, String memo) {
        return new LedgerEntry(USER_ID, amount, 100 + amount, LedgerEntryKind.CHARGE, operationId, memo, T0);
    }
}
