package dev.stripeflare.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceCipherTest {
    private static final String SECRET = "a-db-secret-of-at-least-32-characters!!";
    private static final String OTHER_SECRET = "another-db-secret-of-32-characters-or-more";

    private final AccessTokens tokens = new AccessTokens(new SecureRandom());
    private final ReferenceCipher cipher = new ReferenceCipher(List.of(SECRET));

    @Test
    void referenceDecryptsBackToTheToken() {
        String token = tokens.mint();

        assertThat(cipher.decrypt(cipher.encrypt(token))).contains(token);
    }

    @Test
    void referenceIsDeterministicAndFitsStripesLimit() {
        String token = tokens.mint();
        String reference = cipher.encrypt(token);

        assertThat(cipher.encrypt(token)).isEqualTo(reference);
        assertThat(new ReferenceCipher(List.of(SECRET)).encrypt(token)).isEqualTo(reference);
        assertThat(reference).hasSizeLessThanOrEqualTo(200).matches("[A-Za-z0-9_-]+");
        assertThat(reference).doesNotContain(token.substring(3, 20));
        assertThat(cipher.encrypt(tokens.mint())).isNotEqualTo(reference);
    }

    @Test
    void foreignTamperedOrGarbageReferencesAreNotOurs() {
        String reference = cipher.encrypt(tokens.mint());
        byte[] raw = Base64.getUrlDecoder().decode(reference);
        raw[raw.length - 5] ^= 1;
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

        assertThat(cipher.decrypt(tampered)).isEmpty();
        assertThat(cipher.decrypt(reference.substring(0, reference.length() - 2))).isEmpty();
        assertThat(new ReferenceCipher(List.of(OTHER_SECRET)).decrypt(reference)).isEmpty();
        assertThat(cipher.decrypt("user_42")).isEmpty();
        assertThat(cipher.decrypt("!!!not base64!!!")).isEmpty();
        assertThat(cipher.decrypt("")).isEmpty();
        assertThat(cipher.decrypt(null)).isEmpty();
        assertThat(cipher.decrypt("A".repeat(10_000))).isEmpty();
    }

    @Test
    void rotatedSecretStillDecryptsOldReferencesWhileTheNewOneEncrypts() {
        String token = tokens.mint();
        String oldReference = cipher.encrypt(token);
        ReferenceCipher rotated = new ReferenceCipher(List.of(OTHER_SECRET, SECRET));

        assertThat(rotated.decrypt(oldReference)).contains(token);
        assertThat(rotated.encrypt(token)).isNotEqualTo(oldReference);
        assertThat(rotated.decrypt(rotated.encrypt(token))).contains(token);
        assertThat(cipher.decrypt(rotated.encrypt(token))).isEmpty();
    }
}
