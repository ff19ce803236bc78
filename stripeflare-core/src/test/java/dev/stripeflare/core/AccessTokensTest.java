package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private final AccessTokens tokens = new AccessTokens(new SecureRandom());

    @Test
    void mintedTokensAreWellFormedUrlSafeAndCarry256Bits() {
        String token = tokens.mint();

        assertThat(token).startsWith("sf_").hasSize(46).matches("sf_[A-Za-z0-9_-]{43}");
        assertThat(AccessTokens.isWellFormed(token)).isTrue();
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
        assertThat(AccessTokens.isWellFormed(good.substring(0, 45) + "=")).isFalse();
        assertThat(AccessTokens.isWellFormed("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).isFalse();
    }

    @Test
    void hashIsDeterministicAndNeverTheToken() {
        String token = tokens.mint();

        assertThat(tokens.hash(token)).isEqualTo(tokens.hash(token)).hasSize(43).doesNotContain(token.substring(3));
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
