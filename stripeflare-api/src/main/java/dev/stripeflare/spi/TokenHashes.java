package dev.stripeflare.tck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Token hashes as {@link dev.stripeflare.spi.UserStore} sees them: the base64url (no padding)
 * SHA-256 of the token's UTF-8 bytes, 43 characters. Stateless and thread-safe.
 */
public final class TokenHashes {

    private TokenHashes() {
    }

    /** The hash of {@code token}. */
    public static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
