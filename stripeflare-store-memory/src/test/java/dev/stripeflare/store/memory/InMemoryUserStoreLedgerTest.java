package dev.stripeflare.store.memory;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store's ledger over many chunks reads back exactly what was charged. */
class InMemoryUserStoreLedgerTest {

    private final InMemoryUserStore store = new InMemoryUserStore();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void ledgerOfThousandsOfChargesListsEachOneExactlyOldestFirst() {
        long userId = store.credit(credit("checkout:cs_1", "alice", 100_000_000)).userId();
        List<LedgerEntry> expected = new ArrayList<>(store.ledger(userId));
        long balance = 100_000_000;
        for (int i = 0; i < 3 * Ledger.MAX_CHUNK_ENTRIES + 7; i++) {
            String key = i % 3 == 0 ? "key-" + i : null;
            String memo = i % 4 == 0 ? "memo " + i : null;
            Instant at = T0.plusSeconds(i).plusNanos(i * 7L + 1);
            balance -= i + 1;
            ChargeResult result = store.charge(new Debit(TokenHashes.of("alice"), i + 1, false, key, memo, at));
            assertThat(result).isEqualTo(ChargeResult.charged(balance));
            // A charge's key is kept apart from the ledger, for its window only (ADR 30).
            expected.add(new LedgerEntry(userId, -(i + 1), balance, LedgerEntryKind.CHARGE, null, memo, at));
        }

        List<LedgerEntry> ledger = store.ledger(userId);

        assertThat(ledger).containsExactlyElementsOf(expected);
        assertThat(ledger.stream().mapToLong(LedgerEntry::amountCents).sum()).isEqualTo(balance);
        assertThat(store.findById(userId).orElseThrow().balanceCents()).isEqualTo(balance);
    }

    @Test
    void keyedChargeFromAnEarlyChunkStillReplaysItsBalance() {
        store.credit(credit("checkout:cs_1", "alice", 1_000_000));
        store.charge(new Debit(TokenHashes.of("alice"), 5, false, "first", null, T0));
        for (int i = 0; i < Ledger.MAX_CHUNK_ENTRIES + 1; i++) {
            store.charge(new Debit(TokenHashes.of("alice"), 1, false, null, null, T0));
        }

        ChargeResult replay = store.charge(new Debit(TokenHashes.of("alice"), 5, false, "first", null, T0));

        assertThat(replay).isEqualTo(ChargeResult.replayed(999_995));
    }
}
