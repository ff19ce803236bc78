package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private final AccessTokens tokens = new AccessTokens(new SecureRandom());

    @Test
    void mintedTokensAreWellFormedUrlSafeAndCarry256BitsAndAMac() {
        String token = tokens.mint();

        assertThat(token).startsWith("sf2_").hasSize(68).matches("sf2_[A-Za-z0-9_-]{64}");
        assertThat(AccessTokens.isWellFormed(token)).isTrue();
        assertThat(tokens.isAuthentic(token)).isTrue();
        assertThat(AccessTokens.isLegacy(token)).isFalse();
    }

    @Test
    void aTokenWithAnyChangedCharacterIsNotAuthentic() {
        String token = tokens.mint();
        for (int i = AccessTokens.PREFIX.length(); i < token.length(); i++) {
            char replacement = token.charAt(i) == 'A' ? 'B' : 'A';
            String forged = token.substring(0, i) + replacement + token.substring(i + 1);
            assertThat(tokens.isAuthentic(forged)).as("position %d", i).isFalse();
            assertThat(AccessTokens.isWellFormed(forged)).isTrue();
        }
    }

    @Test
    void aTokenMintedUnderAnotherSecretIsNotAuthentic() {
        AccessTokens ours = new AccessTokens(new SecureRandom(), List.of("0123456789abcdef0123456789abcdef-ours"));
        AccessTokens theirs = new AccessTokens(new SecureRandom(), List.of("0123456789abcdef0123456789abcdef-theirs"));

        assertThat(ours.isAuthentic(theirs.mint())).isFalse();
        assertThat(ours.mayOpenAccount(theirs.mint())).isFalse();
        assertThat(ours.isAuthentic(ours.mint())).isTrue();
    }

    @Test
    void tokensMintedUnderAPreviousSecretStayAuthenticAfterRotation() {
        String old = "0123456789abcdef0123456789abcdef-old";
        String minted = new AccessTokens(new SecureRandom(), List.of(old)).mint();
        AccessTokens rotated = new AccessTokens(new SecureRandom(), List.of("0123456789abcdef0123456789abcdef-new", old));

        assertThat(rotated.isAuthentic(minted)).isTrue();
        assertThat(new AccessTokens(new SecureRandom(), List.of("0123456789abcdef0123456789abcdef-new"))
                .isAuthentic(minted)).isFalse();
    }

    @Test
    void legacyTokensAreRecognisedByShapeButNeverAuthentic() {
        String legacy = "sf_" + "A".repeat(43);

        assertThat(AccessTokens.isLegacy(legacy)).isTrue();
        assertThat(tokens.isAuthentic(legacy)).isFalse();
        assertThat(tokens.mayOpenAccount(legacy)).isTrue();
        assertThat(AccessTokens.isLegacy("sf_" + "A".repeat(42))).isFalse();
    }

    @Test
    void mintedTokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(tokens.mint())).isTrue();
        }
    }

    @Test
    void malformedTokensAreRecognised() {
        String good = tokens.mint();
        assertThat(AccessTokens.isWellFormed(null)).isFalse();
        assertThat(AccessTokens.isWellFormed("")).isFalse();
        assertThat(AccessTokens.isWellFormed("   ")).isFalse();
        assertThat(AccessTokens.isWellFormed(good.substring(1))).isFalse();
        assertThat(AccessTokens.isWellFormed(good + "A")).isFalse();
        assertThat(AccessTokens.isWellFormed("xx" + good.substring(2))).isFalse();
        assertThat(AccessTokens.isWellFormed(good.substring(0, 67) + "=")).isFalse();
        assertThat(AccessTokens.isWellFormed("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).isFalse();
    }

    @Test
    void hashIsDeterministicAndNeverTheToken() {
        String token = tokens.mint();

        assertThat(tokens.hash(token)).isEqualTo(tokens.hash(token)).hasSize(43).doesNotContain(token.substring(4, 40));
        assertThat(tokens.hash(token)).isNotEqualTo(tokens.hash(tokens.mint()));
    }

    @Test
    void nonAsciiInputIsHashedAsUtf8SoDistinctStringsStayDistinct() throws Exception {
        byte[] utf8Digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("sf_\u0161".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(tokens.hash("sf_\u0161"))
                .isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(utf8Digest))
                .isNotEqualTo(tokens.hash("sf_a"));
    }

    @Test
    void hashIsTheSpisDefinitionOfATokenHash() {
        for (int i = 0; i < 100; i++) {
            String token = tokens.mint();
            assertThat(tokens.hash(token)).isEqualTo(dev.stripeflare.spi.TokenHashes.of(token));
        }
    }

    @Test
    void hashIsSha256InBase64Url() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertThat(tokens.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }
}
