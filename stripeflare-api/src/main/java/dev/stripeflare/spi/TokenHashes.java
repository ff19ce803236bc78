package dev.stripeflare.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The definition of a token hash as a {@link UserStore} sees it: the base64url (no padding)
 * SHA-256 of the token's UTF-8 bytes, 43 characters. For stores' tests, tools and migrations;
 * the wallet computes the same value on its hot path without allocating a digest per call.
 * Stateless and thread-safe.
 */
public final class TokenHashes {

    private TokenHashes() {
    }

    /**
     * The hash of {@code token}.
     *
     * @param token the token
     * @return its hash, as stores keep it
     */
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
