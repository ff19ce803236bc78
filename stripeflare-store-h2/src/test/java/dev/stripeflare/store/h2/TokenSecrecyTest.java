package dev.stripeflare.store.h2;

import static dev.stripeflare.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.TokenHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "Secrets": whoever reads the H2 file learns no access token. After a workload that
 * touches every path a token hash is written by (credits creating and finding accounts,
 * charges with keys, rotations, checkout claims pending and linked, deletions), the bytes of
 * every file in the store's directory contain none of the raw {@code sf_…} tokens used, in
 * UTF-8 or UTF-16, while they do contain the tokens' hashes (so the scan reads what the store
 * wrote).
 */
class TokenSecrecyTest {

    @TempDir
    Path dir;

    @Test
    void theDatabaseFileHoldsTokenHashesButNoToken() throws IOException {
        SecureRandom random = new SecureRandom();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            tokens.add("sf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }
        try (H2UserStore store = H2UserStore.builder().file(dir.resolve("wallet")).chargeWriteDelay(java.time.Duration.ZERO)
                .build()) {
            for (int i = 0; i < 10; i++) {
                String token = tokens.get(i);
                PaymentProfile card = new PaymentProfile("P" + i, "p" + i + "@example.com", null, "fp_" + i);
                store.credit(new PaymentCredit("c" + i, TokenHashes.of(token), 1_000, "pi_" + i, card,
                        "cs_" + i, T0.plusSeconds(600), null, T0));
                store.charge(new Debit(TokenHashes.of(token), 10, false, "key-" + i, null, T0));
                store.charge(new Debit(TokenHashes.of(token), 5, true, null, null, T0));
                store.reverse(new PaymentReversal("re" + i, "pi_" + i, 100, LedgerEntryKind.REFUND, null, T0));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(store.rotateToken(TokenHashes.of(tokens.get(i)), TokenHashes.of(tokens.get(10 + i)))).isTrue();
            }
            for (int i = 20; i < 30; i++) {
                // a claim waiting for its credit, then the credit that links it
                store.claimCheckout(new CheckoutClaim("cs_late" + i, TokenHashes.of(tokens.get(i)), T0,
                        T0.plusSeconds(600)));
                store.credit(new PaymentCredit("late" + i, TokenHashes.of(tokens.get(i)), 50, "pi_late" + i,
                        new PaymentProfile(null, null, null, "fp_0"), "cs_late" + i, T0.plusSeconds(600), null, T0));
            }
            for (int i = 30; i < 40; i++) {
                long id = store.credit(new PaymentCredit("gone" + i, TokenHashes.of(tokens.get(i)), 50, null,
                        PaymentProfile.empty(), null, null, null, T0)).userId();
                store.deleteUser(id);
            }
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files of the store").isNotEmpty();
        StringBuilder utf8 = new StringBuilder();
        StringBuilder utf16 = new StringBuilder();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            utf8.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\n');
            utf16.append(new String(bytes, StandardCharsets.UTF_16BE)).append('\n');
            utf16.append(new String(bytes, StandardCharsets.UTF_16LE)).append('\n');
        }
        String asBytes = utf8.toString();
        String asChars = utf16.toString();
        for (String token : tokens) {
            assertThat(asBytes.contains(token)).as("token %s… in the file's bytes", token.substring(0, 6)).isFalse();
            assertThat(asChars.contains(token)).as("token %s… as UTF-16 in the file", token.substring(0, 6)).isFalse();
            // the token without its prefix, in case a layer strips it
            assertThat(asBytes.contains(token.substring(3))).as("token body %s…", token.substring(3, 8)).isFalse();
        }
        long hashesFound = tokens.stream().map(TokenHashes::of).filter(asBytes::contains).count();

        assertThat(hashesFound).as("token hashes found in the file (the scan reads what the store wrote)")
                .isEqualTo(tokens.size());
    }
}
