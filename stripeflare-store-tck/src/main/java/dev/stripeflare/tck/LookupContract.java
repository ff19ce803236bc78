package dev.stripeflare.tck;

import dev.stripeflare.spi.TokenHashes;
import static dev.stripeflare.tck.StoreFixtures.T0;
import static dev.stripeflare.tck.StoreFixtures.at;
import static dev.stripeflare.tck.StoreFixtures.credit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Creating an account by its first credit, and finding it by token hash, id, card and email. */
abstract class LookupContract extends StoreContractSupport {

    private static final PaymentProfile ALICE =
            new PaymentProfile("Alice", "alice@example.com", "Alice@Example.com", "fp_alice");

    @Test
    void firstCreditToUnknownTokenCreatesAccountWithProfileAndBalance() {
        CreditResult result = deliver(credit("checkout:cs_1", "alice", 1_500, ALICE, at(7)));

        assertThat(result.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(result.account()).isEqualTo(CreditResult.Account.CREATED);
        assertThat(result.balanceCents()).isEqualTo(1_500);
        assertThat(account(result.userId())).isEqualTo(new UserRecord(result.userId(), 1_500, "Alice",
                "alice@example.com", "Alice@Example.com", "fp_alice", Map.of(), at(7)));
        assertThat(ledgerOf(result.userId())).containsExactly(new LedgerEntry(result.userId(), 1_500, 1_500,
                LedgerEntryKind.PAYMENT, "checkout:cs_1", null, at(7)));
    }

    @Test
    void createdAccountIsFoundByTokenHashAndById() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_500, ALICE, T0)).userId();

        UserRecord byToken = store.findByTokenHash(TokenHashes.of("alice")).orElseThrow();
        assertThat(byToken.userId()).isEqualTo(alice);
        assertThat(store.findById(alice)).contains(byToken);
    }

    @Test
    void unknownTokenHashAndIdFindNothing() {
        long alice = register("alice", 100);

        assertThat(store.findByTokenHash(TokenHashes.of("bob"))).isEmpty();
        assertThat(store.findById(alice + 1)).isEmpty();
        assertThat(store.ledger(alice + 1)).isEmpty();
        assertThat(store.findByCardFingerprint("fp_nobody")).isEmpty();
        assertThat(store.findByVerifiedEmail("nobody@example.com")).isEmpty();
    }

    @Test
    void accountsGetDistinctIds() {
        long alice = register("alice", 100);
        long bob = register("bob", 100);

        assertThat(alice).isNotEqualTo(bob);
        assertThat(store.findByTokenHash(TokenHashes.of("bob")).orElseThrow().userId()).isEqualTo(bob);
    }

    @Test
    void findsAccountByCardFingerprint() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_500, ALICE, T0)).userId();
        register("bob", 100);

        assertThat(store.findByCardFingerprint("fp_alice")).map(UserRecord::userId).contains(alice);
        assertThat(store.findByCardFingerprint("FP_ALICE")).as("fingerprints are exact").isEmpty();
    }

    @Test
    void findsAccountByVerifiedEmailIgnoringCase() {
        long alice = deliver(credit("checkout:cs_1", "alice", 1_500, ALICE, T0)).userId();

        assertThat(store.findByVerifiedEmail("alice@example.com")).map(UserRecord::userId).contains(alice);
        assertThat(store.findByVerifiedEmail("ALICE@EXAMPLE.COM")).map(UserRecord::userId).contains(alice);
    }

    @Test
    void unverifiedEmailIsNotFoundAsVerified() {
        deliver(credit("checkout:cs_1", "alice", 100,
                new PaymentProfile("Alice", "alice@example.com", null, null), T0));

        assertThat(store.findByVerifiedEmail("alice@example.com")).isEmpty();
    }

    @Test
    void oldestAccountWinsForCardFingerprint() {
        PaymentProfile card = new PaymentProfile(null, null, null, "fp_shared");
        long first = deliver(credit("checkout:cs_1", "first", 100, PaymentProfile.empty(), at(1))).userId();
        deliver(credit("checkout:cs_2", "second", 100, card, at(2)));
        deliver(credit("checkout:cs_3", "third", 100, PaymentProfile.empty(), at(3)));
        // The oldest account gains the card last (it had none), and still wins.
        deliver(credit("checkout:cs_4", "third", 100, card, at(4)));
        deliver(credit("checkout:cs_5", "first", 100, card, at(5)));

        assertThat(store.findByCardFingerprint("fp_shared")).map(UserRecord::userId).contains(first);
    }

    @Test
    void oldestAccountWinsForVerifiedEmail() {
        long first = deliver(credit("checkout:cs_1", "first", 100, PaymentProfile.empty(), at(1))).userId();
        deliver(credit("checkout:cs_2", "second", 100,
                new PaymentProfile(null, null, "shared@EXAMPLE.com", null), at(2)));
        deliver(credit("checkout:cs_3", "first", 100,
                new PaymentProfile(null, null, "Shared@example.com", null), at(3)));

        assertThat(store.findByVerifiedEmail("shared@example.com")).map(UserRecord::userId).contains(first);
    }
}
